package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The bundled server's access log as an operator configures it: {@code "accessLog": {"file": ..., "format": "json"}}
 * writes one object per request to its own file, naming the project by its id however the request named it, the
 * validated file path, the user, the token's kind and the agent; the default goes to standard error in logfmt.
 */
class AccessLogServerTest {

    private static final String TOKEN = "glpat-access-log-server-test";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Path config(String accessLog) throws Exception {
        Files.createDirectories(dir.resolve("data/1/1/weights"));
        Files.writeString(dir.resolve("data/1/1/weights/model.bin"), "weights");
        return Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" }, "catalog": { "type": "none" }%s,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(accessLog, Sha256.ofSecret(TOKEN).hex()));
    }

    private void download(ServerProcess server) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/projects/grp%2Fproj/packages/ml_models/1/files/weights/model.bin")).header("PRIVATE-TOKEN", TOKEN)
                .header("User-Agent", "mlregistry-test/1.0").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void aJsonFileOfItsOwnNamesWhoWhatAndWhichProject() throws Exception {
        try (ServerProcess server = ServerProcess.start(config(", \"accessLog\": { \"file\": \"access.json\", \"format\": \"json\" }"),
                dir.resolve("server.log"))) {
            download(server);
            Path file = dir.resolve("access.json");
            for (int i = 0; i < 100 && (!Files.exists(file) || Files.readAllLines(file).isEmpty()); i++) {
                Thread.sleep(50);
            }
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(lines.get(0));
            assertThat(line.get("project").asText()).isEqualTo("1");
            assertThat(line.get("path").asText()).isEqualTo("weights/model.bin");
            assertThat(line.get("user").asText()).isEqualTo("dev");
            assertThat(line.get("kind").asText()).isEqualTo("access_token");
            assertThat(line.get("agent").asText()).isEqualTo("mlregistry-test/1.0");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("bytes").asLong()).isEqualTo(7);
            assertThat(server.log()).doesNotContain("mlregistry-test/1.0");
        }
    }

    @Test
    void theDefaultIsLogfmtOnStandardError() throws Exception {
        try (ServerProcess server = ServerProcess.start(config(""), dir.resolve("server.log"))) {
            download(server);
            assertThat(server.awaitLog("agent=mlregistry-test/1.0")).contains(" project=1 version=1 path=weights/model.bin status=200 bytes=7 ",
                    " user=dev kind=access_token agent=mlregistry-test/1.0");
        }
    }
}
