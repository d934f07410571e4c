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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The real {@code huggingface_hub} 2.0.0 client against the bundled server: {@code hf_hub_download} by
 * {@code main}, a semantic version and a commit id, {@code snapshot_download}, answers from the client's
 * cache, its own error classes, and a replaced file seen through a new commit id. The model is created
 * the way a user would: MLflow API for the model and versions, the file route for the files. The project
 * is addressed by its encoded path ({@code team%2Fmodels}) and has the namespace {@code team}.
 */
class HuggingFaceClientTest {

    private static final String TOKEN = "glpat-hub-client";
    private static final String REPO = "team/sentiment";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RESOLVE = "/projects/:id/hf/:namespace/:model/resolve/:revision/*path";

    @TempDir
    static Path dir;
    static RegistryServer server;
    static HubPython client;
    static Map<String, byte[]> files = new HashMap<>();
    static long v1;
    static long v2;

    @BeforeAll
    static void start() throws Exception {
        client = HubPython.install();
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "metrics": true,
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" },
                                  "hubNamespace": "team" } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        assertThat(send("POST", api + "registered-models/create", "{\"name\": \"sentiment\"}").statusCode()).isEqualTo(200);
        v1 = createVersion("1.0.0");
        v2 = createVersion("1.1.0");
        byte[] weights = new byte[300_000];
        new Random(7).nextBytes(weights);
        files.put("config.json", "{\"model_type\": \"bert\", \"hidden_size\": 8}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"vocab\": {\"[UNK]\": 0}}}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights);
        files.put("onnx/model.onnx", "onnx bytes".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            put(v2, f.getKey(), f.getValue());
        }
        put(v1, "config.json", "{\"model_type\": \"bert\", \"hidden_size\": 4}".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static long createVersion(String semver) throws Exception {
        return createVersion("sentiment", semver);
    }

    private static long createVersion(String model, String semver) throws Exception {
        HttpResponse<String> r = send("POST", "/projects/1/ml/mlflow/api/2.0/mlflow/model-versions/create",
                "{\"name\": \"" + model + "\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"" + semver + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/model_version/version").asLong();
    }

    private static void put(long version, String path, byte[] bytes) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/projects/team%2Fmodels/packages/ml_models/"
                        + version + "/files/" + path)).header("PRIVATE-TOKEN", TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The client's environment: this server's endpoint for the project, a cache of its own, the token or none. */
    private static Map<String, String> env(Path cache, boolean withToken) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", server.baseUrl() + "/projects/team%2Fmodels/hf");
        env.put("HF_HOME", cache.toString());
        if (withToken) {
            env.put("HF_TOKEN", TOKEN);
        }
        return env;
    }

    private static double resolveRequests(String method) throws Exception {
        String origin = server.baseUrl().substring(0, server.baseUrl().length() - RegistryJetty.API_MOUNT.length());
        String scrape = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        Matcher m = Pattern.compile("(?m)^mlregistry_requests_seconds_count\\{method=\"" + method + "\",route=\""
                + Pattern.quote(RESOLVE) + "\",status=\"(\\d+)\",?\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    @Test
    void downloadsByMainSemverAndCommitIdAndAnswersRepeatsFromTheCache() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache-download"));
        JsonNode main = client.call(env(cache, true), "download", REPO, "config.json", "main");
        assertThat(main.path("error").asText()).as(main.toString()).isEmpty();
        assertThat(main.get("version").asText()).isEqualTo(HubPython.CLIENT_VERSION);
        assertThat(Files.readAllBytes(Path.of(main.get("path").asText()))).isEqualTo(files.get("config.json"));
        String commit = main.get("commit").asText();
        assertThat(commit).matches("[0-9a-f]{40}");

        JsonNode old = client.call(env(cache, true), "download", REPO, "config.json", "1.0.0");
        assertThat(Files.readString(Path.of(old.get("path").asText()))).contains("\"hidden_size\": 4");
        assertThat(old.get("commit").asText()).isNotEqualTo(commit);

        JsonNode byCommit = client.call(env(cache, true), "download", REPO, "model.safetensors", commit);
        assertThat(byCommit.path("error").asText()).as(byCommit.toString()).isEmpty();
        assertThat(Files.readAllBytes(Path.of(byCommit.get("path").asText()))).isEqualTo(files.get("model.safetensors"));

        // again by main: the client asks with a HEAD only, and answers from its cache
        double heads = resolveRequests("HEAD");
        double gets = resolveRequests("GET");
        JsonNode again = client.call(env(cache, true), "download", REPO, "config.json", "main");
        assertThat(again.get("path").asText()).isEqualTo(main.get("path").asText());
        // /metrics renders at most once a second: scrape until this request shows
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (resolveRequests("HEAD") < heads + 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(resolveRequests("HEAD")).isEqualTo(heads + 1);
        assertThat(resolveRequests("GET")).isEqualTo(gets);
    }

    @Test
    void snapshotDownloadFetchesEveryFileOfAVersionByteForByte() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache-snapshot"));
        JsonNode snap = client.call(env(cache, true), "snapshot", REPO, "1.1.0");
        assertThat(snap.path("error").asText()).as(snap.toString()).isEmpty();
        assertThat(snap.get("files").toString()).isEqualTo("[\"config.json\",\"model.safetensors\",\"onnx/model.onnx\",\"tokenizer.json\"]");
        Path folder = Path.of(snap.get("path").asText());
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(Files.readAllBytes(folder.resolve(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
        }
        JsonNode info = client.call(env(cache, true), "info", REPO, "1.1.0");
        assertThat(info.get("id").asText()).isEqualTo(REPO);
        assertThat(info.get("commit").asText()).isEqualTo(snap.get("commit").asText());
    }

    @Test
    void aMissingFileAndAPrivateProjectWithoutTokenRaiseTheClientsOwnErrors() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache-errors"));
        JsonNode missing = client.call(env(cache, true), "download", REPO, "absent.bin", "main");
        assertThat(missing.get("error").asText()).as(missing.toString()).isEqualTo("RemoteEntryNotFoundError");
        JsonNode anonymous = client.call(env(cache, false), "download", REPO, "config.json", "main");
        assertThat(anonymous.get("error").asText()).as(anonymous.toString()).isEqualTo("RepositoryNotFoundError");
        JsonNode revision = client.call(env(cache, true), "download", REPO, "config.json", "9.9.9");
        assertThat(revision.get("error").asText()).as(revision.toString()).isEqualTo("RevisionNotFoundError");
        JsonNode otherModel = client.call(env(cache, true), "info", "team/unknown", "main");
        assertThat(otherModel.get("error").asText()).as(otherModel.toString()).isEqualTo("RepositoryNotFoundError");
    }

    @Test
    void aFileReplacedThroughPutChangesTheCommitAndTheClientFetchesTheNewBytes() throws Exception {
        // a model of its own: the other tests read "main" of team/sentiment
        assertThat(send("POST", "/projects/1/ml/mlflow/api/2.0/mlflow/registered-models/create", "{\"name\": \"rotating\"}")
                .statusCode()).isEqualTo(200);
        long v3 = createVersion("rotating", "2.0.0");
        put(v3, "config.json", "{\"generation\": 1}".getBytes(StandardCharsets.UTF_8));
        Path cache = Files.createDirectories(dir.resolve("cache-replace"));
        JsonNode before = client.call(env(cache, true), "download", "team/rotating", "config.json", "main");
        assertThat(Files.readString(Path.of(before.get("path").asText()))).isEqualTo("{\"generation\": 1}");
        put(v3, "config.json", "{\"generation\": 2}".getBytes(StandardCharsets.UTF_8));
        JsonNode after = client.call(env(cache, true), "download", "team/rotating", "config.json", "main");
        assertThat(after.get("commit").asText()).isNotEqualTo(before.get("commit").asText()).matches("[0-9a-f]{40}");
        assertThat(Files.readString(Path.of(after.get("path").asText()))).isEqualTo("{\"generation\": 2}");
    }
}
