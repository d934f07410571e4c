package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * {@code "forwardedHeaders": true} behind a reverse proxy: the access log names the client the proxy names (RFC 7239
 * {@code Forwarded} or {@code X-Forwarded-For}) and links carry the scheme and host the client used; without the
 * setting the same headers change nothing, since any client could write them. Through the bundled server as a
 * process, whose log is the operator's.
 */
class ForwardedHeadersTest {

    private static final String TOKEN = "glpat-forwarded-headers-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ServerProcess start(boolean forwarded) throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true }, "forwardedHeaders": %s,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(forwarded, Sha256.ofSecret(TOKEN).hex()));
        ServerProcess server = ServerProcess.start(config, dir.resolve("server-" + forwarded + ".log"));
        String api = server.baseUrl() + "/projects/1/ml/mlflow/api/2.0/mlflow/";
        send("POST", api + "registered-models/create", "{\"name\":\"m\"}");
        String id = JSON.readTree(send("POST", api + "model-versions/create", "{\"name\":\"m\"}")).at("/model_version/version").asText();
        for (String f : new String[] {"a.bin", "b.bin"}) {
            send("PUT", server.baseUrl() + "/projects/1/packages/ml_models/" + id + "/files/" + f, f);
        }
        return server;
    }

    private String send(String method, String url, String body) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
        return answer.body();
    }

    /** A raw request as a proxy forwards it, with its headers; the answer's head and body. */
    private static String viaProxy(ServerProcess server, String path, String headers) throws Exception {
        URI api = URI.create(server.baseUrl());
        try (Socket s = new Socket(api.getHost(), api.getPort())) {
            s.getOutputStream().write(("GET /api/v4" + path + " HTTP/1.1\r\nHost: models.example.com\r\n" + headers
                    + "PRIVATE-TOKEN: " + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final String TREE = "/projects/1/hf/api/models/p1/m/tree/main?limit=1";

    @Test
    void aTrustedProxyNamesTheClientAndTheAddressLinksUse() throws Exception {
        try (ServerProcess server = start(true)) {
            String answer = viaProxy(server, TREE, "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("Link: <https://models.example.com/api/v4" + "/projects/1/hf/api/"
                    + "models/p1/m/tree/main?recursive=false&expand=false&limit=1&cursor=1>; rel=\"next\"");
            viaProxy(server, TREE, "Forwarded: for=198.51.100.9;proto=https;host=registry.example.org\r\n");
            assertThat(server.awaitLog("client=203.0.113.7", "client=198.51.100.9")).contains("client=203.0.113.7", "client=198.51.100.9");
        }
    }

    @Test
    void withoutTheSettingTheHeadersChangeNothing() throws Exception {
        try (ServerProcess server = start(false)) {
            String answer = viaProxy(server, TREE, "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("Link: <" + server.baseUrl() + "/projects/1/hf/api/")
                    .doesNotContain("models.example.com").doesNotContain("https://");
            assertThat(server.awaitLog("route=/projects/:id/hf/")).doesNotContain("203.0.113.7").contains("client=127.0.0.1");
        }
    }
}
