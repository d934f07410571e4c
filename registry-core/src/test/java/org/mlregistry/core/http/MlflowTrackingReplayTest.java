package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What the MLflow Python client's tracking calls send, request by request, with the exact answers. The sequences come
 * from the client's source: {@code mlflow/tracking/fluent.py} ({@code set_experiment}: {@code get_experiment_by_name},
 * on {@code RESOURCE_DOES_NOT_EXIST} {@code create_experiment} then {@code get_experiment}; a deleted experiment is
 * refused by the client from its {@code lifecycle_stage}), {@code mlflow/store/tracking/rest_store.py} (the endpoint
 * and body of each call: {@code message_to_json} leaves unset fields out; GET sends them as query parameters) and
 * {@code mlflow/tracking/client.py} ({@code search_experiments} with {@code max_results=1000},
 * {@code SEARCH_MAX_RESULTS_DEFAULT}, and {@code view_type=ACTIVE_ONLY}). The JSON is GitLab's
 * ({@code lib/api/entities/ml/mlflow/experiment.rb}); what GitLab lacks (restore, update, tag deletion, view types,
 * filters) is MLflow's server's.
 */
class MlflowTrackingReplayTest {

    static final String API = MlflowClientReplayTest.API;
    static final String[] AUTH = MlflowClientReplayTest.AUTH;

    final MutableClock clock = new MutableClock();
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(clock))
                .catalog(new InMemoryModelCatalog()).clock(clock).build());
    }

    private InMemoryResponse post(String op, String json) {
        return http.send(InMemoryRequest.of("POST", API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private InMemoryResponse get(String opAndQuery) {
        return http.get(API + opAndQuery, AUTH);
    }

    private static String experiment(String id, String name, String stage, String tags) {
        return "{\"experiment_id\":\"" + id + "\",\"name\":\"" + name + "\",\"lifecycle_stage\":\"" + stage
                + "\",\"artifact_location\":\"not_implemented\",\"tags\":" + tags + "}";
    }

    @Test
    void setExperimentCreatesANewOneAndFindsAnExistingOne() {
        // mlflow.set_experiment("fraud detection"), new
        InMemoryResponse missing = get("experiments/get-by-name?experiment_name=fraud+detection");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":"
                + "\"Could not find experiment with name 'fraud detection'\"}");
        InMemoryResponse created = post("experiments/create", "{\"name\": \"fraud detection\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.bodyText()).isEqualTo("{\"experiment_id\":\"1\"}");
        String active = experiment("1", "fraud detection", "active", "[]");
        assertThat(get("experiments/get?experiment_id=1").bodyText()).isEqualTo("{\"experiment\":" + active + "}");

        // mlflow.set_experiment("fraud detection"), existing
        assertThat(get("experiments/get-by-name?experiment_name=fraud%20detection").bodyText()).isEqualTo("{\"experiment\":" + active + "}");

        // MlflowClient().create_experiment("churn", tags={"team": "risk"}), a second later
        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(post("experiments/create", "{\"name\": \"churn\", \"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}").bodyText())
                .isEqualTo("{\"experiment_id\":\"2\"}");
        String churn = experiment("2", "churn", "active", "[{\"key\":\"team\",\"value\":\"risk\"}]");
        // search_experiments(): newest first
        assertThat(post("experiments/search", "{\"max_results\": 1000, \"view_type\": \"ACTIVE_ONLY\"}").bodyText())
                .isEqualTo("{\"experiments\":[" + churn + "," + active + "]}");
        assertThat(post("experiments/search", "{\"order_by\": [\"creation_time ASC\"]}").bodyText())
                .isEqualTo("{\"experiments\":[" + active + "," + churn + "]}");
        assertThat(get("experiments/list").bodyText()).isEqualTo("{\"experiments\":[" + active + "," + churn + "]}");
    }

    @Test
    void deletesRestoresRenamesTagsSearchesAndPages() {
        post("experiments/create", "{\"name\": \"fraud\"}");
        post("experiments/create", "{\"name\": \"churn\"}");
        // delete_experiment("1"): MLflow's soft delete; the client's set_experiment then refuses it by lifecycle_stage
        assertThat(post("experiments/delete", "{\"experiment_id\": \"1\"}").bodyText()).isEqualTo("{}");
        assertThat(get("experiments/get-by-name?experiment_name=fraud").bodyText())
                .isEqualTo("{\"experiment\":" + experiment("1", "fraud", "deleted", "[]") + "}");
        assertThat(post("experiments/search", "{\"max_results\": 1000, \"view_type\": \"ACTIVE_ONLY\"}").bodyText())
                .isEqualTo("{\"experiments\":[" + experiment("2", "churn", "active", "[]") + "]}");
        assertThat(post("experiments/search", "{\"view_type\": \"DELETED_ONLY\"}").bodyText())
                .isEqualTo("{\"experiments\":[" + experiment("1", "fraud", "deleted", "[]") + "]}");
        InMemoryResponse taken = post("experiments/create", "{\"name\": \"fraud\"}");
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.bodyText()).isEqualTo("{\"error_code\":\"RESOURCE_ALREADY_EXISTS\",\"message\":\"Experiment 'fraud' already exists.\"}");
        // MLflow's lifecycle rules: a deleted experiment is not deleted again, renamed or tagged; an active one not restored
        assertThat(post("experiments/delete", "{\"experiment_id\": \"1\"}").statusCode()).isEqualTo(404);
        InMemoryResponse rename = post("experiments/update", "{\"experiment_id\": \"1\", \"new_name\": \"x\"}");
        assertThat(rename.statusCode()).isEqualTo(400);
        assertThat(rename.bodyText()).contains("Cannot rename a non-active experiment.");
        assertThat(post("experiments/set-experiment-tag", "{\"experiment_id\": \"1\", \"key\": \"k\", \"value\": \"v\"}")
                .bodyText()).contains("must be in the 'active' state");
        assertThat(post("experiments/restore", "{\"experiment_id\": \"1\"}").bodyText()).isEqualTo("{}");
        assertThat(post("experiments/restore", "{\"experiment_id\": \"1\"}").statusCode()).isEqualTo(404);

        // rename_experiment("1", "fraud-v2"), set_experiment_tag, delete_experiment_tag
        assertThat(post("experiments/update", "{\"experiment_id\": \"1\", \"new_name\": \"fraud-v2\"}").bodyText()).isEqualTo("{}");
        assertThat(post("experiments/set-experiment-tag", "{\"experiment_id\": \"1\", \"key\": \"team\", \"value\": \"risk\"}")
                .bodyText()).isEqualTo("{}");
        assertThat(get("experiments/get?experiment_id=1").bodyText()).isEqualTo("{\"experiment\":"
                + experiment("1", "fraud-v2", "active", "[{\"key\":\"team\",\"value\":\"risk\"}]") + "}");
        assertThat(post("experiments/search", "{\"filter\": \"name = 'fraud-v2'\"}").bodyText()).as("tags read for the page shown")
                .isEqualTo("{\"experiments\":[" + experiment("1", "fraud-v2", "active", "[{\"key\":\"team\",\"value\":\"risk\"}]") + "]}");
        assertThat(get("experiments/list").bodyText()).as("GitLab's list: every experiment, by id, with its tags")
                .isEqualTo("{\"experiments\":[" + experiment("1", "fraud-v2", "active", "[{\"key\":\"team\",\"value\":\"risk\"}]")
                        + "," + experiment("2", "churn", "active", "[]") + "]}");
        assertThat(post("experiments/search", "{\"filter\": \"tags.team = 'risk'\"}").bodyText())
                .isEqualTo("{\"experiments\":[" + experiment("1", "fraud-v2", "active", "[{\"key\":\"team\",\"value\":\"risk\"}]") + "]}");
        assertThat(post("experiments/delete-experiment-tag", "{\"experiment_id\": \"1\", \"key\": \"team\"}").bodyText()).isEqualTo("{}");
        InMemoryResponse again = post("experiments/delete-experiment-tag", "{\"experiment_id\": \"1\", \"key\": \"team\"}");
        assertThat(again.statusCode()).as("a key it no longer has: MLflow's 404").isEqualTo(404);
        assertThat(again.bodyText()).contains("No tag with name: team in experiment with id 1");

        // pages of one, by name, over GET as well as POST
        InMemoryResponse first = get("experiments/search?max_results=1&order_by=name");
        assertThat(first.bodyText()).startsWith("{\"experiments\":[" + experiment("2", "churn", "active", "[]")
                + "],\"next_page_token\":\"");
        String token = first.bodyText().replaceAll(".*\"next_page_token\":\"([^\"]+)\".*", "$1");
        assertThat(post("experiments/search", "{\"max_results\": 1, \"order_by\": [\"name\"], \"page_token\": \"" + token + "\"}")
                .bodyText()).isEqualTo("{\"experiments\":[" + experiment("1", "fraud-v2", "active", "[]") + "]}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "GET  | experiments/get?experiment_id=99                  | | 404 | RESOURCE_DOES_NOT_EXIST | No Experiment with id=99 exists",
        "GET  | experiments/get?experiment_id=abc                 | | 404 | RESOURCE_DOES_NOT_EXIST | No Experiment with id=abc exists",
        "GET  | experiments/get                                   | | 400 | INVALID_PARAMETER_VALUE | "
                + "Missing value for required parameter 'experiment_id'",
        "POST | experiments/create | {}                           | 400 | INVALID_PARAMETER_VALUE | Missing value for required parameter 'name'",
        "POST | experiments/delete | {\"experiment_id\": \"7\"}   | 404 | RESOURCE_DOES_NOT_EXIST | No Experiment with id=7 exists",
        "POST | experiments/update | {\"experiment_id\": \"1\"}   | 400 | INVALID_PARAMETER_VALUE | Missing value for required parameter 'new_name'",
        "POST | experiments/search | {\"view_type\": \"SOME\"}    | 400 | INVALID_PARAMETER_VALUE | "
                + "Invalid value for parameter 'view_type': ACTIVE_ONLY, DELETED_ONLY or ALL",
        "POST | experiments/search | {\"filter\": \"metrics.a > 1\"} | 400 | INVALID_PARAMETER_VALUE | "
                + "Invalid value for parameter 'filter': only name and tags.<key> can be searched on here",
        "POST | experiments/search | {\"order_by\": [\"size\"]}   | 400 | INVALID_PARAMETER_VALUE | "
                + "Invalid value for parameter 'order_by': use name, experiment_id, creation_time or last_update_time, ASC or DESC",
        "POST | experiments/set-experiment-tag | {\"experiment_id\": \"1\", \"value\": \"v\"} | 400 | INVALID_PARAMETER_VALUE | "
                + "Missing value for required parameter 'key'",
        "GET  | experiments/delete                                | | 404 | ENDPOINT_NOT_FOUND |",
        "GET  | experiments/get-by-name?experiment_name=a%00b     | | 404 | RESOURCE_DOES_NOT_EXIST | Could not find experiment with name 'a\\u0000b'",
        "POST | experiments/create | {\"name\": \"   \"}           | 400 | INVALID_PARAMETER_VALUE | "
                + "Invalid value for parameter 'name': 1 to 255 characters, not all blank",
        "POST | experiments/create | {\"name\": \"a\\u0007b\"}      | 400 | INVALID_PARAMETER_VALUE |",
        "POST | experiments/create | {\"name\": \"\\u00a0\"}       | 400 | INVALID_PARAMETER_VALUE | "
                + "Invalid value for parameter 'name': 1 to 255 characters, not all blank",
    })
    void refusesBadInputWithMlflowsCodes(String method, String op, String body, int status, String code, String message) {
        post("experiments/create", "{\"name\": \"fraud\"}");
        InMemoryResponse r = method.equals("GET") ? get(op) : post(op, body == null ? "" : body);
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(status);
        assertThat(r.bodyText()).contains("\"error_code\":\"" + code + "\"");
        if (message != null) {
            assertThat(r.bodyText()).contains("\"message\":\"" + message + "\"");
        }
    }

    @Test
    void anotherProjectsExperimentIsNotFoundAndAnAnonymousWriteIsRefused() {
        post("experiments/create", "{\"name\": \"fraud\"}");
        InMemoryResponse elsewhere = http.get("/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/experiments/get?experiment_id=1", AUTH);
        assertThat(elsewhere.statusCode()).as(elsewhere.bodyText()).isEqualTo(404);
        InMemoryResponse anonymous = http.send(InMemoryRequest.of("POST", "/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/experiments/create")
                .body("{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
