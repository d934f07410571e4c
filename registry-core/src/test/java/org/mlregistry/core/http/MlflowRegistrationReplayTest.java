package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.TestRegistry;

/**
 * From a run to a model version, request by request as MLflow's Python client sends them, with a catalog that keeps
 * files as manifests and blobs. The sequences come from the client's source:
 * <ul>
 *   <li>{@code mlflow/store/artifact/http_artifact_repo.py}: {@code log_artifact} PUTs the raw bytes to
 *       {@code <artifact_uri>/<artifact_path>/<basename>}; {@code log_artifacts} walks the directory and does the same for
 *       every file with its relative directory; {@code list_artifacts} GETs {@code artifacts?path=<root>/<path>} and
 *       recurses on {@code is_dir}; {@code _download_file} GETs each file;</li>
 *   <li>{@code mlflow/store/artifact/runs_artifact_repo.py} and {@code mlflow/tracking/artifact_utils.py}: a
 *       {@code runs:/<id>/<path>} URI is resolved with {@code runs/get} to {@code <artifact_uri>/<path>};</li>
 *   <li>{@code mlflow/tracking/_model_registry/fluent.py} ({@code _register_model}): {@code registered-models/create}
 *       (an existing name's {@code RESOURCE_ALREADY_EXISTS} is fine), then {@code model-versions/create} with
 *       {@code name}, {@code source} (the resolved URI) and {@code run_id};</li>
 *   <li>GitLab's MLflow client documentation ({@code doc/user/project/ml/model_registry/index.md}): files and metrics
 *       are attached to a version with {@code client.log_artifact(model_version.run_id, ...)} and
 *       {@code client.log_metric(model_version.run_id, ...)}.</li>
 * </ul>
 */
class MlflowRegistrationReplayTest {

    static final String API = MlflowClientReplayTest.API;
    static final String ARTIFACTS = MlflowClientReplayTest.ARTIFACTS;
    static final String[] AUTH = MlflowClientReplayTest.AUTH;
    static final String FILES = "/api/v4/projects/6/packages/ml_models/";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock();
    final InMemoryModelCatalog catalog = new InMemoryModelCatalog();
    final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(clock)).catalog(catalog).blobs(blobs)
                .clock(clock).build());
    }

    private InMemoryResponse post(String op, String json) {
        return http.send(InMemoryRequest.of("POST", API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode json(InMemoryResponse r) throws Exception {
        return JSON.readTree(r.bodyBytes());
    }

    /** {@code set_experiment("fraud")} on a new name, then {@code start_run()}: the run's id. */
    private String startRun() throws Exception {
        assertThat(http.get(API + "experiments/get-by-name?experiment_name=fraud", AUTH).statusCode()).isEqualTo(404);
        String experiment = json(post("experiments/create", "{\"name\": \"fraud\"}")).get("experiment_id").asText();
        InMemoryResponse run = post("runs/create", "{\"experiment_id\": \"" + experiment + "\", \"start_time\": 1780315200000, "
                + "\"tags\": [], \"run_name\": \"crisp-owl-42\"}");
        assertThat(run.statusCode()).as(run.bodyText()).isEqualTo(200);
        return json(run).at("/run/info/run_id").asText();
    }

    /** What {@code _download_artifact_from_uri} fetches below an {@code mlflow-artifacts:/} root: path to bytes. */
    private List<String> download(String root, String path, List<String> out) throws Exception {
        JsonNode files = json(http.get(ARTIFACTS + "?path=" + root + (path.isEmpty() ? "" : "/" + path), AUTH)).get("files");
        for (JsonNode f : files) {
            String child = path.isEmpty() ? f.get("path").asText() : path + "/" + f.get("path").asText();
            if (f.get("is_dir").asBoolean()) {
                download(root, child, out);
            } else {
                InMemoryResponse got = http.get(ARTIFACTS + "/" + root + "/" + child, AUTH);
                assertThat(got.statusCode()).isEqualTo(200);
                out.add(child + "=" + got.bodyText());
            }
        }
        return out;
    }

    @Test
    void registersARunsModelDirectoryWithoutCopyingAByteAndItsVersionLoadsAsMlflowLoadsIt() throws Exception {
        String runId = startRun();
        String uri = json(http.get(API + "runs/get?run_id=" + runId, AUTH)).at("/run/info/artifact_uri").asText();
        assertThat(uri).isEqualTo("mlflow-artifacts:/candidate:1");
        // mlflow.log_artifacts("out/model", artifact_path="model"): out/model/{MLmodel, model.pkl, code/train.py}
        for (String[] f : new String[][] {{"model/MLmodel", "flavors: {}"}, {"model/model.pkl", "weights"},
            {"model/code/train.py", "print(1)"}}) {
            InMemoryResponse put = http.put(ARTIFACTS + "/candidate:1/" + f[0], f[1].getBytes(StandardCharsets.UTF_8), AUTH);
            assertThat(put.statusCode()).as(put.bodyText()).isEqualTo(200);
        }
        // mlflow.log_artifact("loss.png"): at the top of the run's files
        http.put(ARTIFACTS + "/candidate:1/loss.png", "png".getBytes(StandardCharsets.UTF_8), AUTH);
        String etag = http.get(FILES + "candidate:1/files/model/model.pkl", AUTH).header("ETag").orElseThrow();
        int blobsBefore = blobs.list(null, 100).size();

        // mlflow.register_model(f"runs:/{run_id}/model", "fraud-detector")
        assertThat(post("registered-models/create", "{\"name\": \"fraud-detector\"}").statusCode()).isEqualTo(200);
        String source = json(http.get(API + "runs/get?run_id=" + runId, AUTH)).at("/run/info/artifact_uri").asText() + "/model";
        InMemoryResponse created = post("model-versions/create", "{\"name\": \"fraud-detector\", \"source\": \"" + source
                + "\", \"run_id\": \"" + runId + "\"}");
        assertThat(created.statusCode()).as(created.bodyText()).isEqualTo(200);
        JsonNode version = json(created).get("model_version");
        String id = version.get("version").asText();
        assertThat(version.get("run_id").asText()).as("the run is the version's now, as GitLab's candidate").isEqualTo(runId);
        assertThat(version.get("source").asText()).isEqualTo("mlflow-artifacts:/" + id + "/model");

        assertThat(blobs.list(null, 100)).as("no byte copied").hasSize(blobsBefore);
        InMemoryResponse byVersion = http.get(FILES + id + "/files/model/model.pkl", AUTH);
        assertThat(byVersion.bodyText()).isEqualTo("weights");
        assertThat(byVersion.header("ETag")).contains(etag);
        assertThat(http.get(FILES + "candidate:1/files/model/model.pkl", AUTH).header("ETag"))
                .as("candidate:1 names the version's files now").contains(etag);
        assertThat(http.get(FILES + id + "/files/loss.png", AUTH).bodyText()).isEqualTo("png");
        assertThat(json(http.get(API + "runs/get?run_id=" + runId, AUTH)).at("/run/info/artifact_uri").asText())
                .isEqualTo("mlflow-artifacts:/" + id);

        // mlflow.pyfunc.load_model("models:/fraud-detector/<id>"): get-download-uri, then the download of that directory
        String download = json(http.get(API + "model-versions/get-download-uri?name=fraud-detector&version=" + id, AUTH))
                .get("artifact_uri").asText();
        assertThat(download).isEqualTo("mlflow-artifacts:/" + id + "/model");
        assertThat(download(download.substring("mlflow-artifacts:/".length()), "", new ArrayList<>()))
                .containsExactlyInAnyOrder("MLmodel=flavors: {}", "model.pkl=weights", "code/train.py=print(1)");
        assertThat(json(http.get(API + "model-versions/search?filter=run_id%3D%27" + runId + "%27", AUTH))
                .at("/model_versions/0/version").asText()).isEqualTo(id);
    }

    @Test
    void aSecondRegistrationOfTheSameRunSharesItsFilesAndKeepsARunOfItsOwn() throws Exception {
        String runId = startRun();
        http.put(ARTIFACTS + "/candidate:1/model.pkl", "weights".getBytes(StandardCharsets.UTF_8), AUTH);
        post("registered-models/create", "{\"name\": \"a\"}");
        post("registered-models/create", "{\"name\": \"b\"}");
        JsonNode first = json(post("model-versions/create", "{\"name\": \"a\", \"source\": \"runs:/" + runId + "\"}")).get("model_version");
        JsonNode second = json(post("model-versions/create", "{\"name\": \"b\", \"run_id\": \"" + runId + "\", \"source\": "
                + "\"mlflow-artifacts:/" + first.get("version").asText() + "\"}")).get("model_version");
        assertThat(first.get("run_id").asText()).isEqualTo(runId);
        assertThat(second.get("run_id").asText()).matches("[0-9a-f]{32}").isNotEqualTo(runId);
        assertThat(http.get(FILES + second.get("version").asText() + "/files/model.pkl", AUTH).bodyText()).isEqualTo("weights");
        assertThat(blobs.list(null, 100)).hasSize(1);
    }

    @Test
    void gitlabsWayOfAttachingMetricsAndFilesToAVersionGoesThroughItsRun() throws Exception {
        // client.create_registered_model("m"); mv = client.create_model_version("m", source="...")
        post("registered-models/create", "{\"name\": \"m\"}");
        JsonNode mv = json(post("model-versions/create", "{\"name\": \"m\", \"source\": \"s3://bucket/elsewhere\"}")).get("model_version");
        String versionId = mv.get("version").asText();
        String runId = mv.get("run_id").asText();
        assertThat(runId).matches("[0-9a-f]{32}");
        assertThat(mv.get("source").asText()).as("a source outside the registry is not the version's").isEqualTo("mlflow-artifacts:/"
                + versionId);
        // client.log_metric(mv.run_id, "accuracy", 0.93) and client.log_artifact(mv.run_id, "card.md")
        assertThat(post("runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"accuracy\", \"value\": 0.93, \"timestamp\": 1, "
                + "\"step\": 0}").bodyText()).isEqualTo("{}");
        JsonNode run = json(http.get(API + "runs/get?run_id=" + runId, AUTH)).get("run");
        assertThat(run.at("/data/metrics/0/value").asDouble()).isEqualTo(0.93);
        String uri = run.at("/info/artifact_uri").asText();
        assertThat(uri).isEqualTo("mlflow-artifacts:/" + versionId);
        InMemoryResponse put = http.put(ARTIFACTS + "/" + versionId + "/card.md", "# m".getBytes(StandardCharsets.UTF_8), AUTH);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(http.get(FILES + versionId + "/files/card.md", AUTH).bodyText()).isEqualTo("# m");
        assertThat(run.at("/info/run_name").asText()).isEqualTo("1.0.0");

        // the model's experiment, as GitLab makes it: listed, and neither deleted nor renamed alone
        JsonNode experiment = json(http.get(API + "experiments/get-by-name?experiment_name=%5Bmodel%5Dm", AUTH)).get("experiment");
        assertThat(experiment.get("experiment_id").asText()).isEqualTo(run.at("/info/experiment_id").asText());
        InMemoryResponse refused = post("experiments/delete", "{\"experiment_id\": \"" + experiment.get("experiment_id").asText() + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyText()).contains("Cannot delete or rename an experiment associated to a model");
        post("registered-models/rename", "{\"name\": \"m\", \"new_name\": \"m2\"}");
        assertThat(json(http.get(API + "experiments/get?experiment_id=" + experiment.get("experiment_id").asText(), AUTH))
                .at("/experiment/name").asText()).isEqualTo("[model]m2");

        // deleting the model takes its experiment, its runs and (for the collector) their files with it
        assertThat(http.send(InMemoryRequest.of("DELETE", API + "registered-models/delete").headers(AUTH)
                .header("Content-Type", "application/json").body("{\"name\": \"m2\"}".getBytes(StandardCharsets.UTF_8))).statusCode())
                .isEqualTo(200);
        assertThat(http.get(API + "runs/get?run_id=" + runId, AUTH).statusCode()).isEqualTo(404);
        assertThat(http.get(API + "experiments/get?experiment_id=" + experiment.get("experiment_id").asText(), AUTH).statusCode())
                .isEqualTo(404);
        assertThat(catalog.referenced(Sha256.hash("# m".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void aDeletedModelTakesTheFilesOfItsExperimentsOwnRunsWithIt() throws Exception {
        post("registered-models/create", "{\"name\": \"m\"}");
        String experiment = json(http.get(API + "experiments/get-by-name?experiment_name=%5Bmodel%5Dm", AUTH))
                .at("/experiment/experiment_id").asText();
        String runId = json(post("runs/create", "{\"experiment_id\": \"" + experiment + "\"}")).at("/run/info/run_id").asText();
        String iid = json(http.get(API + "runs/get?run_id=" + runId, AUTH)).at("/run/info/artifact_uri").asText()
                .replace("mlflow-artifacts:/", "");
        byte[] bytes = "only here".getBytes(StandardCharsets.UTF_8);
        assertThat(http.put(ARTIFACTS + "/" + iid + "/x.bin", bytes, AUTH).statusCode()).isEqualTo(200);
        assertThat(catalog.referenced(Sha256.hash(bytes))).isTrue();
        http.send(InMemoryRequest.of("DELETE", API + "registered-models/delete").headers(AUTH).header("Content-Type", "application/json")
                .body("{\"name\": \"m\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(catalog.referenced(Sha256.hash(bytes))).isFalse();
        assertThat(http.get(FILES + iid + "/files/x.bin", AUTH).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesWhatCannotBeRegistered() throws Exception {
        String runId = startRun();
        post("registered-models/create", "{\"name\": \"m\"}");
        InMemoryResponse unknown = post("model-versions/create", "{\"name\": \"m\", \"run_id\": \"0123456789abcdef0123456789abcdef\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyText()).contains("RESOURCE_DOES_NOT_EXIST");
        InMemoryResponse mismatch = post("model-versions/create", "{\"name\": \"m\", \"run_id\": \"" + runId
                + "\", \"source\": \"runs:/0123456789abcdef0123456789abcdef/model\"}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.bodyText()).contains("name different runs");
        InMemoryResponse badPath = post("model-versions/create", "{\"name\": \"m\", \"source\": \"runs:/" + runId + "/../x\"}");
        assertThat(badPath.statusCode()).isEqualTo(400);
        post("runs/delete", "{\"run_id\": \"" + runId + "\"}");
        InMemoryResponse deleted = post("model-versions/create", "{\"name\": \"m\", \"run_id\": \"" + runId + "\"}");
        assertThat(deleted.statusCode()).isEqualTo(400);
        assertThat(deleted.bodyText()).contains("must be in the 'active' state");
        assertThat(json(http.get(API + "model-versions/search?filter=name%3D%27m%27", AUTH)).get("model_versions"))
                .as("no version is left behind by a refusal").isEmpty();
        InMemoryResponse fromElsewhere = http.send(InMemoryRequest.of("POST", "/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/"
                + "model-versions/create").headers(AUTH).header("Content-Type", "application/json")
                .body(("{\"name\": \"m\", \"run_id\": \"" + runId + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertThat(fromElsewhere.statusCode()).as("another project's run is no run here").isEqualTo(404);
    }
}
