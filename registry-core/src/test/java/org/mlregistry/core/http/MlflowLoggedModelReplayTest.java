package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.TestRegistry;

/**
 * MLflow 3's {@code mlflow.sklearn.log_model(model, name="model", registered_model_name="fraud")} inside a run, request by
 * request, then loading the registered version. The sequence comes from the client's source:
 * <ul>
 *   <li>{@code mlflow/models/model.py} ({@code Model.log}) and {@code mlflow/tracking/fluent.py}
 *       ({@code _create_logged_model}): {@code POST logged-models} with {@code experiment_id}, {@code name},
 *       {@code model_type}, {@code source_run_id}, {@code params} and {@code tags}; {@code POST runs/outputs} naming the
 *       model; {@code log_model_artifacts} ({@code mlflow/tracking/client.py}) reads the model
 *       ({@code GET logged-models/<id>}) and PUTs each file under its {@code artifact_uri}
 *       ({@code http_artifact_repo.py}); then {@code PATCH logged-models/<id>} with {@code status: LOGGED_MODEL_READY};</li>
 *   <li>{@code mlflow/tracking/_model_registry/fluent.py} ({@code _register_model}) for {@code models:/m-<id>}:
 *       {@code registered-models/create}, {@code model-versions/create} with {@code source} and {@code model_id}, then
 *       {@code GET logged-models/<id>} and {@code PATCH logged-models/<id>/tags} with {@code mlflow.modelVersions};</li>
 *   <li>{@code mlflow/store/tracking/rest_store.py}: the paths and bodies of each ({@code get_logged_model_endpoint}),
 *       and {@code search_logged_models} ({@code experiment_ids}, {@code filter}, {@code order_by} as
 *       {@code {field_name, ascending}}), which {@code runs_artifact_repo.py} calls to list a run's models.</li>
 * </ul>
 * GitLab answers all of these 404 (its MLflow API has no logged models), so this is where the registry goes past it.
 */
class MlflowLoggedModelReplayTest {

    static final String API = MlflowClientReplayTest.API;
    static final String ARTIFACTS = MlflowClientReplayTest.ARTIFACTS;
    static final String[] AUTH = MlflowClientReplayTest.AUTH;
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock();
    final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(clock)).catalog(new InMemoryModelCatalog())
                .blobs(blobs).clock(clock).build());
    }

    private InMemoryResponse send(String method, String op, String json) {
        return http.send(InMemoryRequest.of(method, API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode ok(InMemoryResponse r) throws Exception {
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
        return JSON.readTree(r.bodyBytes());
    }

    @Test
    void logsAModelInARunRegistersItAndItsVersionDownloadsItsFiles() throws Exception {
        String experiment = ok(send("POST", "experiments/create", "{\"name\": \"fraud\"}")).get("experiment_id").asText();
        String runId = ok(send("POST", "runs/create", "{\"experiment_id\": \"" + experiment + "\", \"start_time\": 1780315200000}"))
                .at("/run/info/run_id").asText();

        // Model.log: create the logged model, name it as the run's output
        JsonNode created = ok(send("POST", "logged-models", "{\"experiment_id\": \"" + experiment + "\", \"name\": \"model\", "
                + "\"model_type\": \"sklearn\", \"source_run_id\": \"" + runId + "\", \"params\": [{\"key\": \"C\", \"value\": \"1.0\"}], "
                + "\"tags\": [{\"key\": \"mlflow.user\", \"value\": \"dev\"}]}")).get("model");
        String modelId = created.at("/info/model_id").asText();
        assertThat(modelId).matches("m-[0-9a-f]{32}");
        assertThat(created.at("/info/status").asText()).isEqualTo("LOGGED_MODEL_PENDING");
        assertThat(created.at("/info/experiment_id").asText()).isEqualTo(experiment);
        assertThat(created.at("/info/name").asText()).isEqualTo("model");
        assertThat(created.at("/info/source_run_id").asText()).isEqualTo(runId);
        assertThat(created.at("/info/model_type").asText()).isEqualTo("sklearn");
        assertThat(created.at("/info/tags").toString()).isEqualTo("[{\"key\":\"mlflow.user\",\"value\":\"dev\"}]");
        assertThat(created.at("/data/params").toString()).isEqualTo("[{\"key\":\"C\",\"value\":\"1.0\"}]");
        assertThat(ok(send("POST", "runs/outputs", "{\"run_id\": \"" + runId + "\", \"models\": [{\"model_id\": \"" + modelId
                + "\", \"step\": 0}]}")).toString()).isEqualTo("{}");

        // log_model_artifacts: read the model, PUT its files under its artifact_uri
        String uri = ok(http.get(API + "logged-models/" + modelId, AUTH)).at("/model/info/artifact_uri").asText();
        assertThat(uri).startsWith("mlflow-artifacts:/candidate:");
        String root = uri.substring("mlflow-artifacts:/".length());
        for (String[] f : new String[][] {{"MLmodel", "flavors: {sklearn: {}}"}, {"model.pkl", "pickled"}}) {
            InMemoryResponse put = http.put(ARTIFACTS + "/" + root + "/" + f[0], f[1].getBytes(StandardCharsets.UTF_8), AUTH);
            assertThat(put.statusCode()).as(put.bodyText()).isEqualTo(200);
        }
        JsonNode ready = ok(send("PATCH", "logged-models/" + modelId, "{\"model_id\": \"" + modelId
                + "\", \"status\": \"LOGGED_MODEL_READY\"}")).get("model");
        assertThat(ready.at("/info/status").asText()).isEqualTo("LOGGED_MODEL_READY");
        assertThat(ready.at("/info/last_updated_timestamp_ms").asLong()).isGreaterThanOrEqualTo(ready.at("/info/creation_timestamp_ms").asLong());

        // _register_model("models:/<model_id>", "fraud")
        ok(send("POST", "registered-models/create", "{\"name\": \"fraud\"}"));
        int blobsBefore = blobs.list(null, 100).size();
        JsonNode version = ok(send("POST", "model-versions/create", "{\"name\": \"fraud\", \"source\": \"models:/" + modelId
                + "\", \"model_id\": \"" + modelId + "\"}")).get("model_version");
        String id = version.get("version").asText();
        ok(http.get(API + "logged-models/" + modelId, AUTH));
        assertThat(ok(send("PATCH", "logged-models/" + modelId + "/tags", "{\"tags\": [{\"key\": \"mlflow.modelVersions\", "
                + "\"value\": \"[{\\\"name\\\": \\\"fraud\\\", \\\"version\\\": \\\"" + id + "\\\"}]\"}]}")).toString()).isEqualTo("{}");
        assertThat(ok(http.get(API + "logged-models/" + modelId, AUTH)).at("/model/info/tags").toString())
                .contains("mlflow.modelVersions");

        // mlflow.pyfunc.load_model("models:/fraud/<id>"): the version's files at its top, shared with the model, not copied
        assertThat(blobs.list(null, 100)).hasSize(blobsBefore);
        String download = ok(http.get(API + "model-versions/get-download-uri?name=fraud&version=" + id, AUTH)).get("artifact_uri").asText();
        assertThat(download).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(ok(http.get(ARTIFACTS + "?path=" + id, AUTH)).toString()).isEqualTo("{\"files\":[{\"path\":\"MLmodel\",\"is_dir\":false,"
                + "\"file_size\":22},{\"path\":\"model.pkl\",\"is_dir\":false,\"file_size\":7}]}");
        assertThat(http.get(ARTIFACTS + "/" + id + "/model.pkl", AUTH).bodyText()).isEqualTo("pickled");
        assertThat(http.get(ARTIFACTS + "/" + root + "/model.pkl", AUTH).bodyText()).as("the logged model keeps its files").isEqualTo("pickled");

        // RunsArtifactRepository lists runs:/<run_id>/model through the run's logged models named "model"
        JsonNode found = ok(send("POST", "logged-models/search", "{\"experiment_ids\": [\"" + experiment + "\"], "
                + "\"filter\": \"name = 'model'\", \"order_by\": [{\"field_name\": \"creation_timestamp\", \"ascending\": false}]}"));
        assertThat(found.get("models").findValuesAsText("model_id")).containsExactly(modelId);
        assertThat(ok(send("POST", "runs/search", "{\"experiment_ids\": [\"" + experiment + "\"]}")).get("runs")
                .findValuesAsText("run_id")).as("the model's own run is no run of the experiment's").containsExactly(runId);

        // MLflow 3's register_model(f"runs:/{run_id}/model", "fraud"): the name is no directory of the run's files, so the
        // client finds the run's logged model named "model" (get_run's outputs, search_logged_models) and registers it
        JsonNode run = ok(http.get(API + "runs/get?run_id=" + runId, AUTH)).get("run");
        assertThat(run.get("outputs").toString()).isEqualTo("{\"model_outputs\":[{\"model_id\":\"" + modelId + "\",\"step\":0}]}");
        JsonNode again = ok(send("POST", "model-versions/create", "{\"name\": \"fraud\", \"source\": \"models:/" + modelId
                + "\", \"run_id\": \"" + runId + "\", \"model_id\": \"" + modelId + "\"}")).get("model_version");
        assertThat(http.get(ARTIFACTS + "/" + again.get("version").asText() + "/MLmodel", AUTH).bodyText()).isEqualTo("flavors: {sklearn: {}}");
        assertThat(again.get("run_id").asText()).as("a version of its own run, as from any logged model").isNotEqualTo(runId);

        // log_model_params, delete_logged_model_tag, delete_logged_model
        ok(send("POST", "logged-models/" + modelId + "/params", "{\"model_id\": \"" + modelId + "\", \"params\": [{\"key\": \"penalty\", "
                + "\"value\": \"l2\"}]}"));
        ok(send("DELETE", "logged-models/" + modelId + "/tags/mlflow.user", ""));
        JsonNode after = ok(http.get(API + "logged-models/" + modelId, AUTH)).get("model");
        assertThat(after.at("/data/params").findValuesAsText("key")).containsExactly("C", "penalty");
        assertThat(after.at("/info/tags").findValuesAsText("key")).containsExactly("mlflow.modelVersions");
        ok(send("DELETE", "logged-models/" + modelId, "{\"model_id\": \"" + modelId + "\"}"));
        InMemoryResponse gone = http.get(API + "logged-models/" + modelId, AUTH);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.bodyText()).contains("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get(ARTIFACTS + "/" + id + "/model.pkl", AUTH).bodyText()).as("the version keeps its files").isEqualTo("pickled");
        assertThat(ok(http.get(API + "runs/get?run_id=" + runId, AUTH)).get("run").has("outputs")).as("a deleted model is no output").isFalse();
    }

    @Test
    void refusesBadLoggedModelsInMlflowsWords() throws Exception {
        String experiment = ok(send("POST", "experiments/create", "{\"name\": \"fraud\"}")).get("experiment_id").asText();
        InMemoryResponse badName = send("POST", "logged-models", "{\"experiment_id\": \"" + experiment + "\", \"name\": \"a/b\"}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.bodyText()).contains("INVALID_PARAMETER_VALUE");
        assertThat(send("POST", "logged-models", "{\"experiment_id\": \"99\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "logged-models", "{\"experiment_id\": \"" + experiment + "\", \"source_run_id\": \"" + "f".repeat(32)
                + "\"}").statusCode()).as("a source run that is none").isEqualTo(404);
        String modelId = ok(send("POST", "logged-models", "{\"experiment_id\": \"" + experiment + "\"}")).at("/model/info/model_id").asText();
        InMemoryResponse status = send("PATCH", "logged-models/" + modelId, "{\"status\": \"DONE\"}");
        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(send("PATCH", "logged-models/m-" + "0".repeat(32), "{\"status\": \"LOGGED_MODEL_READY\"}").statusCode()).isEqualTo(404);
        InMemoryResponse unknown = send("POST", "logged-models/" + modelId + "/bogus", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyText()).contains("ENDPOINT_NOT_FOUND");
        assertThat(send("PUT", "logged-models/" + modelId, "{}").bodyText()).contains("ENDPOINT_NOT_FOUND");
        InMemoryResponse badFilter = send("POST", "logged-models/search", "{\"experiment_ids\": [\"" + experiment
                + "\"], \"filter\": \"metrics.x > 1\"}");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        InMemoryResponse otherProject = http.get("/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/logged-models/" + modelId, AUTH);
        assertThat(otherProject.statusCode()).isEqualTo(404);
    }
}
