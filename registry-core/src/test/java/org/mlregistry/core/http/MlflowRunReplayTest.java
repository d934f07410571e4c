package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.MutableClock;
import org.mlregistry.core.testing.TestRegistry;

/**
 * A training script's run, request by request, as the MLflow Python client sends it, with the exact answers. The
 * requests come from {@code mlflow/store/tracking/rest_store.py} ({@code create_run} sends {@code experiment_id},
 * {@code user_id}, {@code start_time}, {@code tags} and {@code run_name}; {@code log_param}, {@code log_metric},
 * {@code set_tag} and {@code update_run_info} send both {@code run_id} and the older {@code run_uuid};
 * {@code log_batch} sends {@code metrics}, {@code params} and {@code tags}; {@code get_metric_history} pages with
 * {@code max_results} and {@code page_token}) and {@code mlflow/tracking/fluent.py} ({@code start_run},
 * {@code log_param(s)}, {@code log_metric(s)}, {@code set_tag}, {@code end_run}: {@code runs/update} with
 * {@code status: FINISHED} and {@code end_time}). The run's JSON is GitLab's {@code RunInfo}
 * ({@code lib/api/entities/ml/mlflow/run_info.rb}) with MLflow's {@code data}.
 */
class MlflowRunReplayTest {

    static final String API = MlflowClientReplayTest.API;
    static final String[] AUTH = MlflowClientReplayTest.AUTH;
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock();
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(clock))
                .catalog(new InMemoryModelCatalog()).clock(clock).build());
        post("experiments/create", "{\"name\": \"fraud\"}");
    }

    private InMemoryResponse post(String op, String json) {
        return http.send(InMemoryRequest.of("POST", API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private InMemoryResponse get(String opAndQuery) {
        return http.get(API + opAndQuery, AUTH);
    }

    private String startRun() throws Exception {
        InMemoryResponse created = post("runs/create", "{\"experiment_id\": \"1\", \"user_id\": \"jdoe\", \"start_time\": 1780315200000, "
                + "\"tags\": [{\"key\": \"mlflow.user\", \"value\": \"jdoe\"}, {\"key\": \"mlflow.source.name\", \"value\": \"train.py\"}], "
                + "\"run_name\": \"crisp-owl-42\"}");
        assertThat(created.statusCode()).as(created.bodyText()).isEqualTo(200);
        return JSON.readTree(created.bodyText()).at("/run/info/run_id").asText();
    }

    @Test
    void aTrainingScriptsRunFromStartToEnd() throws Exception {
        // mlflow.start_run(run_name="crisp-owl-42") in the experiment set_experiment made
        InMemoryResponse created = post("runs/create", "{\"experiment_id\": \"1\", \"user_id\": \"jdoe\", \"start_time\": 1780315200000, "
                + "\"tags\": [{\"key\": \"mlflow.user\", \"value\": \"jdoe\"}], \"run_name\": \"crisp-owl-42\"}");
        assertThat(created.statusCode()).as(created.bodyText()).isEqualTo(200);
        String id = JSON.readTree(created.bodyText()).at("/run/info/run_id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        String info = "{\"run_id\":\"" + id + "\",\"run_uuid\":\"" + id + "\",\"experiment_id\":\"1\",\"start_time\":1780315200000,"
                + "\"run_name\":\"crisp-owl-42\",\"status\":\"RUNNING\",\"artifact_uri\":\"mlflow-artifacts:/candidate:1\","
                + "\"lifecycle_stage\":\"active\",\"user_id\":\"dev\"}";
        assertThat(created.bodyText()).isEqualTo("{\"run\":{\"info\":" + info + ",\"data\":{\"metrics\":[],\"params\":[],"
                + "\"tags\":[{\"key\":\"mlflow.user\",\"value\":\"jdoe\"}]}}}");

        // mlflow.log_param("lr", 0.01), log_metric("loss", 0.9, step=0), log_metric("loss", 0.5, step=1), set_tag
        String run = "\"run_id\": \"" + id + "\", \"run_uuid\": \"" + id + "\"";
        assertThat(post("runs/log-parameter", "{" + run + ", \"key\": \"lr\", \"value\": \"0.01\"}").bodyText()).isEqualTo("{}");
        assertThat(post("runs/log-metric", "{" + run + ", \"key\": \"loss\", \"value\": 0.9, \"timestamp\": 1780315201000, \"step\": 0}")
                .bodyText()).isEqualTo("{}");
        assertThat(post("runs/log-metric", "{" + run + ", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": 1780315202000, \"step\": 1}")
                .bodyText()).isEqualTo("{}");
        assertThat(post("runs/set-tag", "{" + run + ", \"key\": \"team\", \"value\": \"risk\"}").bodyText()).isEqualTo("{}");
        // mlflow.log_metrics({...}) and log_params({...}) go as one log-batch; MLflow's JSON writes NaN as a string
        assertThat(post("runs/log-batch", "{\"run_id\": \"" + id + "\", \"metrics\": [{\"key\": \"acc\", \"value\": \"NaN\", "
                + "\"timestamp\": 1780315203000, \"step\": 1}], \"params\": [{\"key\": \"epochs\", \"value\": \"3\"}], \"tags\": []}")
                .bodyText()).isEqualTo("{}");

        // mlflow.end_run()
        InMemoryResponse ended = post("runs/update", "{" + run + ", \"status\": \"FINISHED\", \"end_time\": 1780315260000}");
        String endedInfo = info.replace("\"run_name\"", "\"end_time\":1780315260000,\"run_name\"").replace("RUNNING", "FINISHED");
        assertThat(ended.bodyText()).isEqualTo("{\"run_info\":" + endedInfo + "}");

        // MlflowClient().get_run(id)
        assertThat(get("runs/get?run_uuid=" + id + "&run_id=" + id).bodyText()).isEqualTo("{\"run\":{\"info\":" + endedInfo
                + ",\"data\":{\"metrics\":[{\"key\":\"acc\",\"value\":\"NaN\",\"timestamp\":1780315203000,\"step\":1},"
                + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1780315202000,\"step\":1}],"
                + "\"params\":[{\"key\":\"epochs\",\"value\":\"3\"},{\"key\":\"lr\",\"value\":\"0.01\"}],"
                + "\"tags\":[{\"key\":\"mlflow.user\",\"value\":\"jdoe\"},{\"key\":\"team\",\"value\":\"risk\"}]}}}");

        // MlflowClient().get_metric_history(id, "loss"), in pages of one
        InMemoryResponse page = get("metrics/get-history?run_id=" + id + "&run_uuid=" + id + "&metric_key=loss&max_results=1");
        JsonNode first = JSON.readTree(page.bodyText());
        assertThat(first.get("metrics").toString()).isEqualTo("[{\"key\":\"loss\",\"value\":0.9,\"timestamp\":1780315201000,\"step\":0}]");
        InMemoryResponse next = get("metrics/get-history?run_id=" + id + "&metric_key=loss&max_results=1&page_token="
                + first.get("next_page_token").asText());
        assertThat(next.bodyText()).isEqualTo("{\"metrics\":[{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1780315202000,\"step\":1}]}");
    }

    @Test
    void deletesRestoresAndRefusesToLogToADeletedRun() throws Exception {
        String id = startRun();
        assertThat(post("runs/delete", "{\"run_id\": \"" + id + "\"}").bodyText()).isEqualTo("{}");
        assertThat(JSON.readTree(get("runs/get?run_id=" + id).bodyText()).at("/run/info/lifecycle_stage").asText()).isEqualTo("deleted");
        InMemoryResponse refused = post("runs/log-metric", "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": 1, \"timestamp\": 1}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyText()).contains("The run " + id + " must be in the 'active' state. Current state is deleted.");
        assertThat(post("runs/delete", "{\"run_id\": \"" + id + "\"}").statusCode()).as("again: no error, as MLflow").isEqualTo(200);
        InMemoryResponse update = post("runs/update", "{\"run_id\": \"" + id + "\", \"status\": \"FAILED\"}");
        assertThat(update.statusCode()).isEqualTo(400);
        assertThat(update.bodyText()).contains("must be in the 'active' state");
        assertThat(post("runs/restore", "{\"run_id\": \"" + id + "\"}").bodyText()).isEqualTo("{}");
        assertThat(post("runs/restore", "{\"run_id\": \"" + id + "\"}").statusCode()).isEqualTo(200);
        assertThat(post("runs/log-metric", "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": 1, \"timestamp\": 1}").bodyText())
                .as("logging to a finished or restored run works, as in MLflow").isEqualTo("{}");
        post("experiments/delete", "{\"experiment_id\": \"1\"}");
        InMemoryResponse inDeleted = post("runs/create", "{\"experiment_id\": \"1\"}");
        assertThat(inDeleted.statusCode()).isEqualTo(400);
        assertThat(inDeleted.bodyText()).contains("The experiment 1 must be in the 'active' state. Current state is deleted.");
        // MLflow's store deletes an experiment's runs with it (sqlalchemy_store.py delete_experiment), and restores them
        InMemoryResponse toDeletedExperiment = post("runs/log-metric", "{\"run_id\": \"" + id
                + "\", \"key\": \"loss\", \"value\": 1, \"timestamp\": 2}");
        assertThat(toDeletedExperiment.statusCode()).isEqualTo(400);
        assertThat(toDeletedExperiment.bodyText()).contains("The run " + id + " must be in the 'active' state. Current state is deleted.");
        assertThat(JSON.readTree(get("runs/get?run_id=" + id).bodyText()).at("/run/info/lifecycle_stage").asText()).isEqualTo("deleted");
        post("experiments/restore", "{\"experiment_id\": \"1\"}");
        assertThat(post("runs/log-metric", "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": 1, \"timestamp\": 2}")
                .bodyText()).isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "log-parameter | \"key\": \"lr\", \"value\": \"0.1\"   | 400 | Changing param values is not allowed. Param with key='lr' was already logged with value='0.01'",
        "log-metric    | \"key\": \"loss\", \"value\": \"high\", \"timestamp\": 1 | 400 | must be a number",
        "log-metric    | \"key\": \"loss\", \"value\": 1, \"timestamp\": 1.5 | 400 | Invalid value for parameter 'timestamp': must be a whole number",
        "log-metric    | \"key\": \"loss\", \"value\": 1              | 400 | Missing value for required parameter 'timestamp'",
        "log-metric    | \"key\": \"../up\", \"value\": 1, \"timestamp\": 1 | 400 | Invalid metric name: '../up'",
        "log-metric    | \"key\": \"/abs\", \"value\": 1, \"timestamp\": 1 | 400 | Invalid metric name: '/abs'",
        "log-parameter | \"key\": \"a;b\", \"value\": \"1\"            | 400 | Invalid parameter name: 'a;b'",
        "set-tag       | \"value\": \"v\"                          | 400 | Missing value for required parameter 'key'",
        "update        | \"status\": \"DONE\"                      | 400 | Invalid value for parameter 'status'",
        "log-metric    | \"key\": \"loss\", \"value\": 1, \"timestamp\": -1 | 400 | Timestamp must be a nonnegative long",
        "log-batch     | \"params\": [{\"key\": \"a\", \"value\": \"1\"}, {\"key\": \"a\", \"value\": \"1\"}] | 400 | "
                + "Duplicate parameter keys have been submitted: ['a']",
    })
    void refusesBadLoggingWithMlflowsWording(String op, String fields, int status, String message) throws Exception {
        String id = startRun();
        post("runs/log-parameter", "{\"run_id\": \"" + id + "\", \"key\": \"lr\", \"value\": \"0.01\"}");
        InMemoryResponse r = post("runs/" + op, "{\"run_id\": \"" + id + "\", " + fields + "}");
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(status);
        assertThat(r.bodyText()).contains("\"error_code\":\"INVALID_PARAMETER_VALUE\"").contains(message);
    }

    @Test
    void refusesABatchOverMlflowsLimitsAndUnknownRuns() throws Exception {
        String id = startRun();
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            metrics.append(i == 0 ? "" : ",").append("{\"key\": \"m\", \"value\": 1, \"timestamp\": ").append(i).append('}');
        }
        InMemoryResponse big = post("runs/log-batch", "{\"run_id\": \"" + id + "\", \"metrics\": [" + metrics + "]}");
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(big.bodyText()).contains("A batch logging request can contain at most 1000 metrics. Got 1001 metrics.");
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            params.append(i == 0 ? "" : ",").append("{\"key\": \"p").append(i).append("\", \"value\": \"1\"}");
        }
        InMemoryResponse many = post("runs/log-batch", "{\"run_id\": \"" + id + "\", \"params\": [" + params + "]}");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.bodyText()).contains("A batch logging request can contain at most 100 params. Got 101 params.");
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            tags.append(i == 0 ? "" : ",").append("{\"key\": \"t").append(i).append("\", \"value\": \"1\"}");
        }
        assertThat(post("runs/log-batch", "{\"run_id\": \"" + id + "\", \"params\": [" + params.substring(0, params.lastIndexOf(",{"))
                + "], \"tags\": [" + tags + "]}").bodyText()).as("100 params and 100 tags in one batch, as MLflow's client pairs them")
                .isEqualTo("{}");
        InMemoryResponse unknown = get("runs/get?run_id=" + "f".repeat(32));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyText()).isEqualTo("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Run with id="
                + "f".repeat(32) + " not found\"}");
        InMemoryResponse elsewhere = http.get("/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/runs/get?run_id=" + id, AUTH);
        assertThat(elsewhere.statusCode()).as("another project's run").isEqualTo(404);
        assertThat(post("runs/create", "{\"experiment_id\": \"7\"}").statusCode()).isEqualTo(404);
    }

    /**
     * {@code mlflow.log_artifact("model.pkl", artifact_path="model")}, then {@code list_artifacts} and
     * {@code download_artifacts}: the client reads the run's {@code artifact_uri} ({@code runs/get}), resolves
     * {@code mlflow-artifacts:/candidate:1} to {@code <tracking>/api/2.0/mlflow-artifacts/artifacts/candidate:1}
     * ({@code mlflow_artifacts_repo.py}), PUTs the raw bytes, lists with {@code ?path=candidate:1/model} and GETs each file
     * ({@code http_artifact_repo.py}). The file route's {@code candidate:1} serves the same file.
     */
    @Test
    void aRunsFilesGoWhereItsArtifactUriSaysAndTheFileRouteServesThem() throws Exception {
        String id = startRun();
        String artifacts = MlflowClientReplayTest.ARTIFACTS;
        String uri = JSON.readTree(get("runs/get?run_id=" + id).bodyText()).at("/run/info/artifact_uri").asText();
        assertThat(uri).isEqualTo("mlflow-artifacts:/candidate:1");
        byte[] weights = "pickled weights".getBytes(StandardCharsets.UTF_8);
        InMemoryResponse put = http.put(artifacts + "/candidate:1/model/model.pkl", weights, AUTH);
        assertThat(put.statusCode()).as(put.bodyText()).isEqualTo(200);
        assertThat(put.bodyText()).isEqualTo("{}");
        assertThat(http.get(artifacts + "?path=candidate:1", AUTH).bodyText()).isEqualTo("{\"files\":[{\"path\":\"model\",\"is_dir\":true}]}");
        assertThat(http.get(artifacts + "?path=candidate:1/model", AUTH).bodyText())
                .isEqualTo("{\"files\":[{\"path\":\"model.pkl\",\"is_dir\":false,\"file_size\":15}]}");
        InMemoryResponse back = http.get(artifacts + "/candidate:1/model/model.pkl", AUTH);
        assertThat(back.bodyBytes()).isEqualTo(weights);
        InMemoryResponse viaFileRoute = http.get("/api/v4/projects/6/packages/ml_models/candidate:1/files/model/model.pkl", AUTH);
        assertThat(viaFileRoute.bodyBytes()).isEqualTo(weights);
        assertThat(viaFileRoute.header("ETag")).isEqualTo(back.header("ETag"));

        InMemoryResponse noRun = http.put(artifacts + "/candidate:9/model.pkl", weights, AUTH);
        assertThat(noRun.statusCode()).as("a candidate no run and no directory is").isEqualTo(404);
    }

    /**
     * {@code MlflowClient().search_runs(["1"], "metrics.loss < 0.5", order_by=["metrics.loss ASC"])}: a POST of
     * {@code experiment_ids}, {@code filter}, {@code run_view_type}, {@code max_results} (1,000,
     * {@code SEARCH_MAX_RESULTS_DEFAULT}) and {@code order_by} ({@code rest_store.py} {@code search_runs}).
     */
    @Test
    void searchRunsFiltersOnMetricsParamsAndTagsAndOrdersByAMetric() throws Exception {
        String[] ids = new String[4];
        double[] losses = {0.7, 0.2, 0.4, Double.NaN};
        for (int i = 0; i < 4; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            ids[i] = JSON.readTree(post("runs/create", "{\"experiment_id\": \"1\", \"start_time\": " + (1000 + i) + "}").bodyText())
                    .at("/run/info/run_id").asText();
            if (i < 3) {
                post("runs/log-metric", "{\"run_id\": \"" + ids[i] + "\", \"key\": \"loss\", \"value\": " + losses[i]
                        + ", \"timestamp\": 1}");
            }
            post("runs/log-parameter", "{\"run_id\": \"" + ids[i] + "\", \"key\": \"model\", \"value\": \"" + (i % 2 == 0 ? "cnn" : "rnn")
                    + "\"}");
        }
        InMemoryResponse r = post("runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": \"metrics.loss < 0.5\", "
                + "\"run_view_type\": \"ACTIVE_ONLY\", \"max_results\": 1000, \"order_by\": [\"metrics.loss ASC\"]}");
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
        JsonNode runs = JSON.readTree(r.bodyText()).get("runs");
        assertThat(runs.findValuesAsText("run_id")).containsExactly(ids[1], ids[2]);
        assertThat(runs.get(0).toString()).isEqualTo(JSON.readTree(get("runs/get?run_id=" + ids[1]).bodyText()).get("run").toString());
        assertThat(JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": \"params.model = 'cnn' and "
                + "attributes.status = 'RUNNING'\"}").bodyText()).get("runs").findValuesAsText("run_id"))
                .as("newest first by default").containsExactly(ids[2], ids[0]);
        assertThat(JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"order_by\": [\"metrics.loss DESC\"]}").bodyText())
                .get("runs").findValuesAsText("run_id")).as("a run without the metric last, either way")
                .containsExactly(ids[0], ids[2], ids[1], ids[3]);
        assertThat(JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"order_by\": [\"metrics.`loss` ASC\"]}").bodyText())
                .get("runs").findValuesAsText("run_id")).containsExactly(ids[1], ids[2], ids[0], ids[3]);
        JsonNode paged = JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"max_results\": 3, "
                + "\"order_by\": [\"attributes.start_time ASC\"]}").bodyText());
        assertThat(paged.get("runs").findValuesAsText("run_id")).containsExactly(ids[0], ids[1], ids[2]);
        assertThat(JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"max_results\": 3, \"order_by\": "
                + "[\"attributes.start_time ASC\"], \"page_token\": \"" + paged.get("next_page_token").asText() + "\"}").bodyText())
                .get("runs").findValuesAsText("run_id")).containsExactly(ids[3]);
        post("runs/delete", "{\"run_id\": \"" + ids[0] + "\"}");
        assertThat(http.put(MlflowClientReplayTest.ARTIFACTS + "/candidate:1/late.bin", new byte[] {1}, AUTH).statusCode())
                .as("no files go to a deleted run").isEqualTo(404);
        assertThat(JSON.readTree(post("runs/search", "{\"experiment_ids\": [\"1\"], \"run_view_type\": \"DELETED_ONLY\"}")
                .bodyText()).get("runs").findValuesAsText("run_id")).containsExactly(ids[0]);
        assertThat(post("runs/search", "{\"experiment_ids\": [\"99\"]}").bodyText()).isEqualTo("{\"runs\":[]}");
        InMemoryResponse bad = post("runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": \"metrics.loss LIKE '1%'\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyText()).contains("'metrics.loss' is a number");
        assertThat(post("runs/search", "{\"experiment_ids\": [\"1\"], \"filter\": \"bogus = 1\"}").statusCode()).isEqualTo(400);
    }
}
