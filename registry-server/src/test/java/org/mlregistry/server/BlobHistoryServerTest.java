package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Versions' files as manifests and blobs through the bundled server with its embedded catalog, checked with the real
 * {@code huggingface_hub} client and on disk: bytes shared by versions stored once, an old commit id resolving to the
 * bytes it had after a replacement until {@code gc} with {@code --keep none} forgets it and deletes its blob, and
 * {@code verify} finding a blob altered on disk, whose file is then refused.
 */
class BlobHistoryServerTest {

    private static final String TOKEN = "glpat-blob-history";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private Path config;
    private RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" },
                                  "hubNamespace": "team" } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        startServer();
    }

    private void startServer() throws Exception {
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private long version(String model, String semver) throws Exception {
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        send("POST", api + "registered-models/create", "{\"name\": \"" + model + "\"}");
        HttpResponse<String> r = send("POST", api + "model-versions/create",
                "{\"name\": \"" + model + "\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"" + semver + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/model_version/version").asLong();
    }

    private void put(long version, String path, byte[] bytes) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(fileUrl(version, path))).header("PRIVATE-TOKEN", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private String fileUrl(long version, String path) {
        return server.baseUrl() + "/projects/1/packages/ml_models/" + version + "/files/" + path;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> env(String cacheName) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", server.baseUrl() + "/projects/team%2Fmodels/hf");
        env.put("HF_HOME", Files.createDirectories(dir.resolve(cacheName)).toString());
        env.put("HF_TOKEN", TOKEN);
        return env;
    }

    private Path blobs() {
        return dir.resolve("data").resolve("blobs").resolve("sha256");
    }

    private long blobBytes() throws Exception {
        try (Stream<Path> all = Files.walk(blobs())) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private Path blobOf(byte[] bytes) {
        String hex = Sha256.hash(bytes).hex();
        return blobs().resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private int upkeep(ByteArrayOutputStream out, String... args) {
        return UpkeepCommand.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void twoVersionsWithTheSameHundredMebibyteFileUseItsSizeOnce() throws Exception {
        byte[] big = new byte[100 << 20];
        new Random(11).nextBytes(big);
        put(version("base", "1.0.0"), "model.safetensors", big);
        put(version("base", "1.1.0"), "model.safetensors", big);
        assertThat(blobBytes()).isEqualTo(100L << 20);
        try (Stream<Path> versionDirs = Files.list(dir.resolve("data"))) {
            assertThat(versionDirs.map(p -> p.getFileName().toString())).as("no file in the directory layout")
                    .doesNotContain("1");
        }
    }

    @Test
    void anOldCommitServesItsBytesAfterAReplacementUntilGcWithKeepNone() throws Exception {
        HubPython client = HubPython.install();
        long v = version("rotating", "2.0.0");
        byte[] first = "{\"generation\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"generation\": 2}".getBytes(StandardCharsets.UTF_8);
        put(v, "config.json", first);
        JsonNode before = client.call(env("cache-1"), "download", "team/rotating", "config.json", "main");
        String oldCommit = before.get("commit").asText();
        put(v, "config.json", second);

        JsonNode old = client.call(env("cache-2"), "download", "team/rotating", "config.json", oldCommit);
        assertThat(old.path("error").asText()).as(old.toString()).isEmpty();
        assertThat(Files.readAllBytes(Path.of(old.get("path").asText()))).isEqualTo(first);
        JsonNode main = client.call(env("cache-2"), "download", "team/rotating", "config.json", "main");
        assertThat(Files.readAllBytes(Path.of(main.get("path").asText()))).isEqualTo(second);
        assertThat(main.get("commit").asText()).isNotEqualTo(oldCommit);

        server.stop(); // the embedded catalog is the server's while it runs
        server = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(upkeep(out, "gc", "--config", config.toString(), "--keep", "none", "--grace-minutes", "0")).as(out.toString())
                .isZero();
        assertThat(out.toString()).contains("deleted 1 blobs (17 bytes)");
        assertThat(blobOf(first)).doesNotExist();
        assertThat(blobOf(second)).exists();
        startServer();

        JsonNode gone = client.call(env("cache-3"), "download", "team/rotating", "config.json", oldCommit);
        assertThat(gone.get("error").asText()).as(gone.toString()).isEqualTo("RevisionNotFoundError");
        JsonNode still = client.call(env("cache-3"), "download", "team/rotating", "config.json", "main");
        assertThat(Files.readAllBytes(Path.of(still.get("path").asText()))).isEqualTo(second);
    }

    @Test
    void verifyFindsABlobAlteredOnDiskAndItsDownloadIsRefused() throws Exception {
        long v = version("checked", "1.0.0");
        byte[] weights = new byte[70_000];
        new Random(3).nextBytes(weights);
        put(v, "model.bin", weights);
        put(v, "config.json", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] altered = weights.clone();
        altered[12_345] ^= 1;
        Files.write(blobOf(weights), altered);

        server.stop();
        server = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(upkeep(out, "verify", "--config", config.toString())).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("2 blobs", "1 corrupt").contains("corrupt " + Sha256.hash(weights).hex());
        startServer();

        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(fileUrl(v, "model.bin"))).header("PRIVATE-TOKEN", TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("integrity error");
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(fileUrl(v, "config.json"))).header("PRIVATE-TOKEN", TOKEN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.body()).isEqualTo("{}");
        String health = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl().replace("/api/v4", "") + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(health).contains("\"integrityErrors\":1");
    }
}
