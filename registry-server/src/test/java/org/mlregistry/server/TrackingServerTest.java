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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * MLflow's tracking API through the bundled server (issue 27), over real HTTP with the embedded SQLite catalog:
 * experiments as {@code mlflow.set_experiment} finds and creates them, a run's metrics, params and tags, kept
 * across a restart, and a run's files, registered as a model version without a byte copied.
 */
class TrackingServerTest {

    private static final String TOKEN = "glpat-tracking-server";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MLFLOW = "/projects/1/ml/mlflow/api/2.0/mlflow/";

    @TempDir
    Path dir;
    private Path config;
    private RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void experimentsLiveInTheEmbeddedCatalogAcrossARestart() throws Exception {
        // mlflow.set_experiment("fraud"): get-by-name, 404, create, get (mlflow/tracking/fluent.py)
        HttpResponse<String> missing = send("GET", MLFLOW + "experiments/get-by-name?experiment_name=fraud", "");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(json(send("POST", MLFLOW + "experiments/create", "{\"name\": \"fraud\"}")).toString())
                .isEqualTo("{\"experiment_id\":\"1\"}");
        assertThat(send("POST", MLFLOW + "experiments/set-experiment-tag", "{\"experiment_id\": \"1\", \"key\": \"team\", "
                + "\"value\": \"risk\"}").statusCode()).isEqualTo(200);
        assertThat(send("POST", MLFLOW + "experiments/create", "{\"name\": \"churn\"}").statusCode()).isEqualTo(200);
        assertThat(send("POST", MLFLOW + "experiments/delete", "{\"experiment_id\": \"2\"}").statusCode()).isEqualTo(200);

        server.stop();
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        assertThat(json(send("GET", MLFLOW + "experiments/get-by-name?experiment_name=fraud", "")).toString())
                .isEqualTo("{\"experiment\":{\"experiment_id\":\"1\",\"name\":\"fraud\",\"lifecycle_stage\":\"active\","
                        + "\"artifact_location\":\"not_implemented\",\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}]}}");
        assertThat(json(send("GET", MLFLOW + "experiments/get?experiment_id=2", "")).at("/experiment/lifecycle_stage").asText())
                .isEqualTo("deleted");
        assertThat(json(send("POST", MLFLOW + "experiments/create", "{\"name\": \"next\"}")).toString())
                .as("numbers go on after a restart").isEqualTo("{\"experiment_id\":\"3\"}");
        HttpResponse<String> reader = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + MLFLOW + "experiments/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reader.statusCode()).as("an anonymous write, refused before its body").isEqualTo(401);
    }

    @Test
    void aRunsMetricsParamsAndTagsLiveInTheEmbeddedCatalogAcrossARestart() throws Exception {
        assertThat(send("POST", MLFLOW + "experiments/create", "{\"name\": \"fraud\"}").statusCode()).isEqualTo(200);
        JsonNode run = json(send("POST", MLFLOW + "runs/create", "{\"experiment_id\": \"1\", \"start_time\": 1000, "
                + "\"run_name\": \"first\"}"));
        String id = run.at("/run/info/run_id").asText();
        assertThat(run.at("/run/info/artifact_uri").asText()).isEqualTo("mlflow-artifacts:/candidate:1");
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 998; i++) { // with the param and the tag, MLflow's 1,000 entities of a batch
            metrics.append(i == 0 ? "" : ",").append("{\"key\": \"loss\", \"value\": ").append(1.0 / (i + 1))
                    .append(", \"timestamp\": ").append(2000 + i).append(", \"step\": ").append(i).append('}');
        }
        assertThat(json(send("POST", MLFLOW + "runs/log-batch", "{\"run_id\": \"" + id + "\", \"metrics\": [" + metrics
                + "], \"params\": [{\"key\": \"lr\", \"value\": \"0.01\"}], \"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}"))
                .toString()).isEqualTo("{}");
        json(send("POST", MLFLOW + "runs/update", "{\"run_id\": \"" + id + "\", \"status\": \"FINISHED\", \"end_time\": 9000}"));

        server.stop();
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        JsonNode again = json(send("GET", MLFLOW + "runs/get?run_id=" + id, ""));
        assertThat(again.at("/run/info/status").asText()).isEqualTo("FINISHED");
        assertThat(again.at("/run/info/end_time").asLong()).isEqualTo(9000);
        assertThat(again.at("/run/data/metrics").toString()).as("the latest point")
                .isEqualTo("[{\"key\":\"loss\",\"value\":" + (1.0 / 998) + ",\"timestamp\":2997,\"step\":997}]");
        assertThat(again.at("/run/data/params").toString()).isEqualTo("[{\"key\":\"lr\",\"value\":\"0.01\"}]");
        assertThat(json(send("GET", MLFLOW + "metrics/get-history?run_id=" + id + "&metric_key=loss", "")).get("metrics").size())
                .isEqualTo(998);
        assertThat(json(send("POST", MLFLOW + "runs/create", "{\"experiment_id\": \"1\"}")).at("/run/info/artifact_uri").asText())
                .as("numbers go on after a restart").isEqualTo("mlflow-artifacts:/candidate:2");
    }

    @Test
    void aRunsFilesUploadThroughMlflowsArtifactRouteAndDownloadAsItsCandidate() throws Exception {
        json(send("POST", MLFLOW + "experiments/create", "{\"name\": \"fraud\"}"));
        String id = json(send("POST", MLFLOW + "runs/create", "{\"experiment_id\": \"1\"}")).at("/run/info/run_id").asText();
        String artifacts = "/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts";
        byte[] weights = new byte[3 << 20];
        new java.util.Random(27).nextBytes(weights);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + artifacts + "/candidate:1/model/model.pkl"))
                .header("Authorization", "Bearer " + TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(weights)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(send("GET", artifacts + "?path=candidate:1/model", "")).toString())
                .isEqualTo("{\"files\":[{\"path\":\"model.pkl\",\"is_dir\":false,\"file_size\":" + weights.length + "}]}");
        HttpResponse<byte[]> viaFileRoute = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/projects/1/packages/ml_models/candidate:1/files/model/model.pkl")).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaFileRoute.statusCode()).isEqualTo(200);
        assertThat(viaFileRoute.body()).isEqualTo(weights);
        assertThat(viaFileRoute.headers().firstValue("ETag")).hasValue("\"" + Sha256.hash(weights).hex() + "\"");
        assertThat(id).hasSize(32);

        // mlflow.register_model(f"runs:/{id}/model", "fraud"): the version takes the run's files, no byte copied
        List<Path> stored = storedFiles();
        assertThat(stored).as("a run's files are blobs in the catalog's manifests").anyMatch(p -> p.toString().contains("blobs"));
        json(send("POST", MLFLOW + "registered-models/create", "{\"name\": \"fraud\"}"));
        JsonNode version = json(send("POST", MLFLOW + "model-versions/create", "{\"name\": \"fraud\", \"source\": "
                + "\"mlflow-artifacts:/candidate:1/model\", \"run_id\": \"" + id + "\"}")).get("model_version");
        assertThat(version.get("run_id").asText()).isEqualTo(id);
        HttpResponse<byte[]> viaVersion = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/projects/1/packages/ml_models/" + version.get("version").asText() + "/files/model/model.pkl"))
                .header("PRIVATE-TOKEN", TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(viaVersion.statusCode()).isEqualTo(200);
        assertThat(viaVersion.body()).isEqualTo(weights);
        assertThat(viaVersion.headers().firstValue("ETag")).isEqualTo(viaFileRoute.headers().firstValue("ETag"));
        assertThat(storedFiles()).as("no second copy in storage").isEqualTo(stored);
    }

    /** Every regular file under the storage root but the catalog's own. */
    private List<Path> storedFiles() throws Exception {
        Path root = dir.resolve("data");
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).filter(p -> !p.getFileName().toString().startsWith("catalog"))
                    .sorted().toList();
        }
    }
}
