package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Every way a client can present a token (the five header transports and the query parameters), with
 * known, unknown and revoked secrets, on reads, uploads, MLflow calls and failures: the bundled server's
 * whole log, access log included and every mlregistry logger at DEBUG, never contains a secret.
 */
class SecretsNeverLoggedTest {

    private static final String MARK = "NEVERLOGGED";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String secret(String what) {
        return "glpat-" + MARK + "-" + what;
    }

    @Test
    void noLogLineContainsATokenSecretForAnyTransport() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [
                    { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] },
                    { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"], "revoked": true },
                    { "kind": "job", "user": "dev", "project": 1, "sha256": "%s", "running": true },
                    { "kind": "deploy", "project": 1, "sha256": "%s", "scopes": ["read_package_registry"] }
                  ]
                }
                """.formatted(Sha256.ofSecret(secret("personal")).hex(), Sha256.ofSecret(secret("revoked")).hex(),
                Sha256.ofSecret(secret("job")).hex(), Sha256.ofSecret(secret("deploy")).hex()));
        List<String> secrets = List.of(secret("personal"), secret("revoked"), secret("job"), secret("deploy"), secret("unknown"));
        int requests = 0;
        try (ServerProcess server = ServerProcess.start(config, dir.resolve("server.log"),
                List.of("-Dorg.mlregistry.LEVEL=DEBUG"), Map.of())) {
            String api = server.baseUrl() + "/projects/1/ml/mlflow/api/2.0/mlflow/";
            send(HttpRequest.newBuilder(URI.create(api + "registered-models/create")).header("PRIVATE-TOKEN", secret("personal"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")));
            send(HttpRequest.newBuilder(URI.create(api + "model-versions/create")).header("PRIVATE-TOKEN", secret("personal"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")));
            requests += 2;
            String file = server.baseUrl() + "/projects/1/packages/ml_models/1/files/";
            for (String s : secrets) {
                for (String[] header : transports(s)) {
                    send(HttpRequest.newBuilder(URI.create(file + "model.bin")).header(header[0], header[1])
                            .PUT(HttpRequest.BodyPublishers.ofString("weights")));
                    send(HttpRequest.newBuilder(URI.create(file + "model.bin")).header(header[0], header[1]));
                    send(HttpRequest.newBuilder(URI.create(file + "..%2Fescape")).header(header[0], header[1]));
                    send(HttpRequest.newBuilder(URI.create(api + "registered-models/get?name=m")).header(header[0], header[1]));
                    requests += 4;
                }
                for (String parameter : List.of("private_token", "job_token", "access_token")) {
                    send(HttpRequest.newBuilder(URI.create(file + "model.bin?" + parameter + "=" + s)));
                    requests++;
                }
            }
            String log = awaitLines(server, requests);

            assertThat(log.lines().filter(l -> l.contains("method=")).count()).as("every request was logged").isEqualTo(requests);
            for (String s : secrets) {
                assertThat(log).doesNotContain(s);
            }
            assertThat(log).doesNotContain(MARK);
        }
    }

    /** Header name and value for each transport GitLab accepts. */
    private static List<String[]> transports(String secret) {
        List<String[]> all = new ArrayList<>();
        all.add(new String[] {"Authorization", "Bearer " + secret});
        all.add(new String[] {"PRIVATE-TOKEN", secret});
        all.add(new String[] {"JOB-TOKEN", secret});
        all.add(new String[] {"Deploy-Token", secret});
        for (String user : List.of("dev", "gitlab-ci-token", "deployer")) {
            all.add(new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + secret).getBytes(StandardCharsets.UTF_8))});
        }
        return all;
    }

    private void send(HttpRequest.Builder request) throws Exception {
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String awaitLines(ServerProcess server, int lines) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String log = server.log();
        while (log.lines().filter(l -> l.contains("method=")).count() < lines && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            log = server.log();
        }
        return log;
    }
}
