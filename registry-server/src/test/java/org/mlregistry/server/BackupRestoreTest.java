package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The backup docs/operate.md describes for the file system with the embedded catalog: stop the server, copy the
 * storage root as a whole, and a server started on the copy (with the same configuration) serves the same models,
 * versions and files.
 */
class BackupRestoreTest {

    private static final String TOKEN = "glpat-backup-restore-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private RegistryServer start(Path root) throws Exception {
        Path config = Files.writeString(root.resolveSibling(root.getFileName() + ".json"), """
                {
                  "storage": { "type": "filesystem", "root": "%s", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(root.getFileName(), Sha256.ofSecret(TOKEN).hex()));
        return RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private HttpResponse<String> send(RegistryServer server, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCopiedRootServesTheSameModelsVersionsAndFiles() throws Exception {
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        RegistryServer original = start(dir.resolve("data"));
        String id;
        try {
            assertThat(send(original, "POST", api + "registered-models/create", "{\"name\":\"churn\"}").statusCode()).isEqualTo(200);
            id = JSON.readTree(send(original, "POST", api + "model-versions/create",
                    "{\"name\":\"churn\",\"tags\":[{\"key\":\"gitlab.version\",\"value\":\"2.1.0\"}]}").body()).at("/model_version/version").asText();
            assertThat(send(original, "PUT", "/projects/1/packages/ml_models/" + id + "/files/model.bin", "weights").statusCode())
                    .isEqualTo(201);
        } finally {
            original.stop();
        }
        copy(dir.resolve("data"), dir.resolve("restored"));

        RegistryServer restored = start(dir.resolve("restored"));
        try {
            HttpResponse<String> file = send(restored, "GET", "/projects/1/packages/ml_models/" + id + "/files/model.bin", null);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo("weights");
            HttpResponse<String> version = send(restored, "GET", api + "model-versions/get?name=churn&version=2.1.0", null);
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(version.body()).at("/model_version/version").asText()).isEqualTo(id);
        } finally {
            restored.stop();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
