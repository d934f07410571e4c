package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/** The registry half through the bundled server with its default catalog, embedded H2. */
class CatalogServerTest {

    private static final String TOKEN = "glpat-catalog";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String API = "/projects/1/ml/mlflow/api/2.0/mlflow/";

    @Test
    void storesFilesOnlyInVersionsTheCatalogHasAndDropsThemWithTheirModel() throws Exception {
        assertThat(send("PUT", "/projects/1/packages/ml_models/1/files/model.bin", "x").statusCode()).isEqualTo(404);
        assertThat(send("POST", API + "registered-models/create", "{\"name\":\"sentiment\"}").statusCode()).isEqualTo(200);
        JsonNode version = JSON.readTree(send("POST", API + "model-versions/create",
                "{\"name\":\"sentiment\",\"tags\":[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"}]}").body());
        String id = version.at("/model_version/version").asText();
        String file = "/projects/1/packages/ml_models/" + id + "/files/model.bin";
        assertThat(send("PUT", file, "weights").statusCode()).isEqualTo(201);
        assertThat(send("GET", file, null).body()).isEqualTo("weights");
        assertThat(send("DELETE", API + "registered-models/delete", "{\"name\":\"sentiment\"}").statusCode()).isEqualTo(200);
        assertThat(send("GET", file, null).statusCode()).isEqualTo(404);
        assertThat(dir.resolve("data/1/" + id)).doesNotExist();
    }

    @Test
    void letsOneOfTwoConcurrentCreatesOfANameWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                creates.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + API + "registered-models/create"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"race-" + round + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> c : creates) {
                statuses.add(c.get().statusCode());
                bodies.add(c.get().body());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 400);
            assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"error_code\":\"RESOURCE_ALREADY_EXISTS\""));
        }
    }

    @Test
    void linksATreesNextPageUnderTheAddressItListensOnWhateverHostTheClientNames() throws Exception {
        assertThat(send("POST", API + "registered-models/create", "{\"name\":\"m\"}").statusCode()).isEqualTo(200);
        String id = JSON.readTree(send("POST", API + "model-versions/create", "{\"name\":\"m\"}").body())
                .at("/model_version/version").asText();
        for (String f : List.of("a.bin", "b.bin")) {
            assertThat(send("PUT", "/projects/1/packages/ml_models/" + id + "/files/" + f, f).statusCode()).isEqualTo(201);
        }
        // the JDK client refuses to set Host: a raw request carries the client's own
        URI api = URI.create(server.baseUrl());
        try (java.net.Socket s = new java.net.Socket(api.getHost(), api.getPort())) {
            s.getOutputStream().write(("GET /api/v4/projects/1/hf/api/models/p1/m/tree/main?limit=1 HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("Link: <" + server.baseUrl()
                    + "/projects/1/hf/api/models/p1/m/tree/main?recursive=false&expand=false&limit=1&cursor=1>; rel=\"next\"")
                    .doesNotContain("evil.example");
        }
    }
}
