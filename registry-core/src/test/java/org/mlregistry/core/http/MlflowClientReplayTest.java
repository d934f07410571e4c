package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * What the MLflow Python client sends, request by request, with the answers it needs, exact to the byte
 * where the client parses them. Tracking URI: {@code /api/v4/projects/6/ml/mlflow}.
 */
class MlflowClientReplayTest {

    static final String MLFLOW = "/api/v4/projects/6/ml/mlflow";
    static final String API = MLFLOW + "/api/2.0/mlflow/";
    static final String ARTIFACTS = MLFLOW + "/api/2.0/mlflow-artifacts/artifacts";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final long NOW = RegistryFixture.NOW.toEpochMilli();
    static final ObjectMapper JSON = new ObjectMapper();

    InMemoryHttp http;
    InMemoryModelCatalog catalog;

    @BeforeEach
    void setUp() {
        catalog = new InMemoryModelCatalog();
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(catalog).clock(RegistryFixture.CLOCK).build());
    }

    /** The {@code run_id} of the version's run: every version has one, made with it (as GitLab makes a candidate). */
    private String runOf(long versionId) throws Exception {
        String runId = catalog.findVersion(6, versionId).orElseThrow().runId();
        assertThat(runId).matches("[0-9a-f]{32}");
        return runId;
    }

    private InMemoryResponse post(String op, String json) {
        return http.send(InMemoryRequest.of("POST", API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private InMemoryResponse call(String method, String op, String json) {
        return http.send(InMemoryRequest.of(method, API + op).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private InMemoryResponse get(String opAndQuery) {
        return http.get(API + opAndQuery, AUTH);
    }

    private static JsonNode json(InMemoryResponse r) throws Exception {
        return JSON.readTree(r.bodyBytes());
    }

    private String versionJson(long id, String semver, String tags) throws Exception {
        return "{\"name\":\"sentiment\",\"version\":\"" + id + "\",\"creation_timestamp\":" + NOW + ",\"last_updated_timestamp\":"
                + NOW + ",\"current_stage\":\"development\",\"description\":\"\",\"source\":\"mlflow-artifacts:/" + id
                + "\",\"run_id\":\"" + runOf(id) + "\",\"status\":\"READY\",\"status_message\":\"\",\"tags\":" + tags
                + ",\"run_link\":\"\",\"aliases\":[\"" + semver + "\"]}";
    }

    @Test
    void createsAModelAndAVersionUploadsAndDownloadsItLatestAndByAlias() throws Exception {
        // MlflowClient().create_registered_model("sentiment")
        InMemoryResponse model = post("registered-models/create", "{\"name\": \"sentiment\"}");
        assertThat(model.statusCode()).isEqualTo(200);
        assertThat(model.bodyText()).isEqualTo("{\"registered_model\":{\"name\":\"sentiment\",\"creation_timestamp\":" + NOW
                + ",\"last_updated_timestamp\":" + NOW + ",\"description\":\"\",\"user_id\":\"dev\",\"tags\":[],\"latest_versions\":[]}}");

        // create_model_version("sentiment", source="...", tags={"gitlab.version": "1.0.0"})
        InMemoryResponse version = post("model-versions/create", "{\"name\": \"sentiment\", \"source\": \"s3://bucket/x\", "
                + "\"tags\": [{\"key\": \"gitlab.version\", \"value\": \"1.0.0\"}]}");
        assertThat(version.statusCode()).isEqualTo(200);
        long id = Long.parseLong(json(version).at("/model_version/version").asText());
        assertThat(version.bodyText()).isEqualTo("{\"model_version\":" + versionJson(id, "1.0.0",
                "[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"}]") + "}");

        // uploads: the file route, and MLflow's artifact proxy PUT
        assertThat(http.put("/api/v4/projects/6/packages/ml_models/" + id + "/files/MLmodel", "flavors: {}".getBytes(StandardCharsets.UTF_8),
                AUTH).statusCode()).isEqualTo(201);
        assertThat(http.put("/api/v4/projects/6/packages/ml_models/" + id + "/files/data/model%20v1+x.bin", new byte[] {1, 2, 3},
                AUTH).statusCode()).isEqualTo(201);
        InMemoryResponse proxied = http.put(ARTIFACTS + "/" + id + "/data/weights/part-0.bin", new byte[] {9}, AUTH);
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.bodyText()).isEqualTo("{}");

        // mlflow.artifacts.download_artifacts("models:/sentiment/latest")
        InMemoryResponse latest = post("registered-models/get-latest-versions", "{\"name\": \"sentiment\"}");
        assertThat(latest.bodyText()).isEqualTo("{\"model_versions\":[" + versionJson(id, "1.0.0",
                "[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"}]") + "]}");
        InMemoryResponse uri = get("model-versions/get-download-uri?name=sentiment&version=" + id);
        assertThat(uri.bodyText()).isEqualTo("{\"artifact_uri\":\"mlflow-artifacts:/" + id + "\"}");
        InMemoryResponse probe = http.get(MLFLOW + "/api/3.0/mlflow/server-info", AUTH);
        assertThat(probe.statusCode()).isEqualTo(404);
        assertThat(json(probe).get("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(downloadAll(id, "")).containsExactly("MLmodel=11", "data/model v1+x.bin=3", "data/weights/part-0.bin=1");

        // the listing itself, exactly as MLflow's own server answers
        assertThat(http.get(ARTIFACTS + "?path=" + id, AUTH).bodyText())
                .isEqualTo("{\"files\":[{\"path\":\"MLmodel\",\"is_dir\":false,\"file_size\":11},{\"path\":\"data\",\"is_dir\":true}]}");
        assertThat(http.get(ARTIFACTS + "?path=" + id + "%2Fdata", AUTH).bodyText()).isEqualTo("{\"files\":["
                + "{\"path\":\"model v1+x.bin\",\"is_dir\":false,\"file_size\":3},{\"path\":\"weights\",\"is_dir\":true}]}");
        assertThat(http.get(ARTIFACTS + "?path=" + id + "/nothing", AUTH).bodyText()).isEqualTo("{\"files\":[]}");

        // models:/sentiment@1.0.0
        InMemoryResponse alias = get("registered-models/alias?name=sentiment&alias=1.0.0");
        assertThat(alias.bodyText()).isEqualTo("{\"model_version\":" + versionJson(id, "1.0.0",
                "[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"}]") + "}");

        // get_registered_model now carries its latest version
        assertThat(json(get("registered-models/get?name=sentiment")).at("/registered_model/latest_versions/0/version").asText())
                .isEqualTo(Long.toString(id));
    }

    private long version(String semver) throws Exception {
        InMemoryResponse r = post("model-versions/create", "{\"name\": \"sentiment\", \"tags\": [{\"key\": \"gitlab.version\", "
                + "\"value\": \"" + semver + "\"}]}");
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
        return Long.parseLong(json(r).at("/model_version/version").asText());
    }

    /**
     * The registry calls of MlflowClient beyond GitLab's, as mlflow/store/model_registry/rest_store.py sends them
     * (mlflow/utils/rest_utils.py call_endpoint: GET as query parameters, POST and DELETE as a JSON body):
     * search_model_versions with its default max_results (SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT = 10000),
     * get_latest_versions with stages, transition_model_version_stage, the alias calls, set_model_version_tag,
     * rename_registered_model, and
     * load_model("models:/sentiment@champion")'s sequence (alias, then get-download-uri, then the artifacts).
     */
    @Test
    void answersTheClientsRegistryCallsBeyondGitLabsWithExactJson() throws Exception {
        post("registered-models/create", "{\"name\": \"sentiment\"}");
        long v1 = version("1.0.0");
        long v2 = version("2.1.0");
        String tag1 = "[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"}]";

        // MlflowClient().search_model_versions("name='sentiment'")
        InMemoryResponse search = get("model-versions/search?filter=name%3D%27sentiment%27&max_results=10000");
        assertThat(search.statusCode()).as(search.bodyText()).isEqualTo(200);
        assertThat(search.bodyText()).isEqualTo("{\"model_versions\":[" + versionJson(v1, "1.0.0", tag1) + ","
                + versionJson(v2, "2.1.0", tag1.replace("1.0.0", "2.1.0")) + "]}");
        assertThat(get("model-versions/search?max_results=200001").statusCode()).isEqualTo(400);

        // get_latest_versions("sentiment", stages=["Production"]): no version is in a stage, so none
        assertThat(post("registered-models/get-latest-versions", "{\"name\": \"sentiment\", \"stages\": [\"Production\"]}")
                .bodyText()).isEqualTo("{\"model_versions\":[]}");
        // models:/sentiment/1.0.0: the client sends the version as a stage
        assertThat(post("registered-models/get-latest-versions", "{\"name\": \"sentiment\", \"stages\": [\"1.0.0\"]}")
                .bodyText()).isEqualTo("{\"model_versions\":[" + versionJson(v1, "1.0.0", tag1) + "]}");
        assertThat(json(get("registered-models/get-latest-versions?name=sentiment")).at("/model_versions/0/version").asText())
                .isEqualTo(Long.toString(v2));

        // transition_model_version_stage("sentiment", v1, "production"): the stage answered capitalized, as MLflow does
        InMemoryResponse moved = post("model-versions/transition-stage", "{\"name\": \"sentiment\", \"version\": \"" + v1
                + "\", \"stage\": \"production\", \"archive_existing_versions\": false}");
        assertThat(moved.statusCode()).as(moved.bodyText()).isEqualTo(200);
        assertThat(moved.bodyText()).isEqualTo("{\"model_version\":" + versionJson(v1, "1.0.0", tag1)
                .replace("\"current_stage\":\"development\"", "\"current_stage\":\"Production\"") + "}");
        assertThat(post("registered-models/get-latest-versions", "{\"name\": \"sentiment\", \"stages\": [\"Production\"]}")
                .bodyText()).isEqualTo(moved.bodyText().replace("{\"model_version\":", "{\"model_versions\":[").replaceAll("}$", "]}"));
        post("model-versions/transition-stage", "{\"name\": \"sentiment\", \"version\": \"" + v2
                + "\", \"stage\": \"Production\", \"archive_existing_versions\": true}");
        assertThat(json(get("model-versions/get?name=sentiment&version=" + v1)).at("/model_version/current_stage").asText())
                .as("archived by the second transition").isEqualTo("Archived");
        InMemoryResponse badStage = post("model-versions/transition-stage", "{\"name\": \"sentiment\", \"version\": \"" + v1
                + "\", \"stage\": \"Prod\"}");
        assertThat(badStage.statusCode()).isEqualTo(400);
        assertThat(json(badStage).get("message").asText())
                .isEqualTo("Invalid Model Version stage: Prod. Value must be one of None, Staging, Production, Archived.");
        post("model-versions/transition-stage", "{\"name\": \"sentiment\", \"version\": \"" + v1 + "\", \"stage\": \"None\"}");
        post("model-versions/transition-stage", "{\"name\": \"sentiment\", \"version\": \"" + v2 + "\", \"stage\": \"None\"}");

        // set_registered_model_alias("sentiment", "champion", v1), then get_model_version_by_alias
        InMemoryResponse set = post("registered-models/alias", "{\"name\": \"sentiment\", \"alias\": \"champion\", \"version\": \""
                + v1 + "\"}");
        assertThat(set.statusCode()).as(set.bodyText()).isEqualTo(200);
        assertThat(set.bodyText()).isEqualTo("{}");
        String v1WithAlias = versionJson(v1, "1.0.0", tag1).replace("\"aliases\":[\"1.0.0\"]", "\"aliases\":[\"1.0.0\",\"champion\"]");
        assertThat(get("registered-models/alias?name=sentiment&alias=champion").bodyText())
                .isEqualTo("{\"model_version\":" + v1WithAlias + "}");
        assertThat(get("model-versions/get?name=sentiment&version=1.0.0").bodyText()).isEqualTo("{\"model_version\":" + v1WithAlias + "}");
        assertThat(get("model-versions/search?filter=name%3D%27sentiment%27&max_results=10000").bodyText())
                .as("a version's aliases are the same in every answer").startsWith("{\"model_versions\":[" + v1WithAlias + ",");
        assertThat(json(get("registered-models/get-latest-versions?name=sentiment")).at("/model_versions/0/aliases").toString())
                .isEqualTo("[\"2.1.0\"]");
        // get_registered_model("sentiment").aliases: MLflow's {"alias", "version"} pairs, in every answer showing the model
        String modelAliases = ",\"aliases\":[{\"alias\":\"champion\",\"version\":\"" + v1 + "\"}]}";
        assertThat(get("registered-models/get?name=sentiment").bodyText()).endsWith("]" + modelAliases + "}");
        assertThat(get("registered-models/search?max_results=10").bodyText()).endsWith("]" + modelAliases + "]}");

        // load_model("models:/sentiment@champion"): the alias, then the download URI of its version, then the files
        assertThat(http.put(ARTIFACTS + "/" + v1 + "/MLmodel", "flavors: {}".getBytes(StandardCharsets.UTF_8), AUTH).statusCode())
                .isEqualTo(200);
        String aliased = json(get("registered-models/alias?name=sentiment&alias=champion")).at("/model_version/version").asText();
        assertThat(get("model-versions/get-download-uri?name=sentiment&version=" + aliased).bodyText())
                .isEqualTo("{\"artifact_uri\":\"mlflow-artifacts:/" + v1 + "\"}");
        assertThat(downloadAll(v1, "")).containsExactly("MLmodel=11");

        // set_model_version_tag("sentiment", v1, "stage", "prod")
        assertThat(post("model-versions/set-tag", "{\"name\": \"sentiment\", \"version\": \"" + v1
                + "\", \"key\": \"stage\", \"value\": \"prod\"}").bodyText()).isEqualTo("{}");
        assertThat(json(get("model-versions/get?name=sentiment&version=" + v1)).at("/model_version/tags").toString())
                .isEqualTo("[{\"key\":\"gitlab.version\",\"value\":\"1.0.0\"},{\"key\":\"stage\",\"value\":\"prod\"}]");
        assertThat(json(get("model-versions/search?filter=tags.stage%3D%27prod%27&max_results=10000")).get("model_versions")
                .findValuesAsText("version")).containsExactly(Long.toString(v1));
        assertThat(call("DELETE", "model-versions/delete-tag", "{\"name\": \"sentiment\", \"version\": \"" + v1
                + "\", \"key\": \"stage\"}").bodyText()).isEqualTo("{}");
        assertThat(post("registered-models/set-tag", "{\"name\": \"sentiment\", \"key\": \"team\", \"value\": \"nlp\"}")
                .bodyText()).isEqualTo("{}");
        assertThat(json(get("registered-models/get?name=sentiment")).at("/registered_model/tags").toString())
                .isEqualTo("[{\"key\":\"team\",\"value\":\"nlp\"}]");
        // search_registered_models("tags.team = 'nlp'")
        JsonNode byTag = json(get("registered-models/search?filter=" + enc("tags.team = 'nlp'") + "&max_results=100"))
                .at("/registered_models");
        assertThat(byTag.size()).isEqualTo(1);
        assertThat(byTag.get(0).get("name").asText()).isEqualTo("sentiment");
        assertThat(json(get("registered-models/search?filter=" + enc("tags.team LIKE 'c%'"))).at("/registered_models").size()).isZero();
        assertThat(call("DELETE", "registered-models/delete-tag", "{\"name\": \"sentiment\", \"key\": \"team\"}").bodyText())
                .isEqualTo("{}");

        // delete_registered_model_alias("sentiment", "champion"): then the alias is MLflow's RESOURCE_DOES_NOT_EXIST
        assertThat(call("DELETE", "registered-models/alias", "{\"name\": \"sentiment\", \"alias\": \"champion\"}").bodyText())
                .isEqualTo("{}");
        InMemoryResponse gone = get("registered-models/alias?name=sentiment&alias=champion");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.bodyText()).isEqualTo("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":"
                + "\"Registered model alias champion not found.\"}");

        // rename_registered_model("sentiment", "sentiment-v2")
        InMemoryResponse renamed = post("registered-models/rename", "{\"name\": \"sentiment\", \"new_name\": \"sentiment-v2\"}");
        assertThat(renamed.statusCode()).as(renamed.bodyText()).isEqualTo(200);
        assertThat(renamed.bodyText()).isEqualTo("{\"registered_model\":{\"name\":\"sentiment-v2\",\"creation_timestamp\":" + NOW
                + ",\"last_updated_timestamp\":" + NOW + ",\"description\":\"\",\"user_id\":\"dev\",\"tags\":[],\"latest_versions\":["
                + versionJson(v2, "2.1.0", "[{\"key\":\"gitlab.version\",\"value\":\"2.1.0\"}]").replace("\"name\":\"sentiment\"",
                        "\"name\":\"sentiment-v2\"")
                + "]}}");
        assertThat(get("registered-models/get?name=sentiment-v2").bodyText()).isEqualTo(renamed.bodyText());
        assertThat(get("registered-models/get?name=sentiment").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "alias [{0}]")
    @CsvSource(delimiter = '|', value = {
        "latest            | 'latest' is reserved",
        "1.0.0             | '1.0.0' is reserved",
        "v3                | 'v3' is reserved",
        "bad alias         | an alias is 1 to 255 letters",
        "''                | Missing value for required parameter 'alias'",
    })
    void refusesReservedAndMalformedAliases(String alias, String message) throws Exception {
        post("registered-models/create", "{\"name\": \"sentiment\"}");
        long v1 = version("1.0.0");
        InMemoryResponse r = post("registered-models/alias", "{\"name\": \"sentiment\", \"alias\": \"" + alias + "\", \"version\": \""
                + v1 + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(r).get("message").asText()).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name = 'x' OR name = 'y'          | at character 12",
        "name = 'x'; DROP TABLE model_version | at character 11",
        "attributes.source = 'x'           | cannot be searched on",
        "version_number LIKE '1%'          | version_number is a number",
        "version_number = 'abc'            | whole number",
        "tags.k IN ('a')                   | a tag is compared with",
        "run_id > 'a'                      | is compared with =, !=, IN or NOT IN",
    })
    void refusesVersionFiltersOutsideTheGrammarWith400(String filter, String named) throws Exception {
        InMemoryResponse r = get("model-versions/search?filter=" + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(r).get("message").asText()).contains(named);
    }

    @Test
    void filtersAndOrdersVersionSearchesAsMlflowsGrammarSays() throws Exception {
        post("registered-models/create", "{\"name\": \"sentiment\"}");
        post("registered-models/create", "{\"name\": \"other\"}");
        long v1 = version("1.0.0");
        long v2 = version("2.0.0");
        long o1 = Long.parseLong(json(post("model-versions/create", "{\"name\": \"other\"}")).at("/model_version/version").asText());
        String ids = "/model_versions";
        assertThat(json(get("model-versions/search?filter=" + enc("name IN ('other', 'sentiment')") + "&order_by=" + enc("version_number DESC")))
                .at(ids).findValuesAsText("version")).containsExactly(Long.toString(o1), Long.toString(v2), Long.toString(v1));
        assertThat(json(get("model-versions/search?filter=" + enc("name = 'sentiment' AND version_number > " + v1))).at(ids)
                .findValuesAsText("version")).containsExactly(Long.toString(v2));
        assertThat(json(get("model-versions/search?filter=" + enc("run_id = ''"))).at(ids).size()).as("every version has a run").isZero();
        assertThat(json(get("model-versions/search?filter=" + enc("run_id = '" + runOf(v2) + "'"))).at(ids).findValuesAsText("version"))
                .containsExactly(Long.toString(v2));
        assertThat(json(get("model-versions/search?filter=" + enc("source_path = 'mlflow-artifacts:/" + o1 + "'"))).at(ids)
                .findValuesAsText("version")).containsExactly(Long.toString(o1));
        assertThat(json(get("model-versions/search?filter=" + enc("name ILIKE 'SENT%'") + "&order_by=name&order_by="
                + enc("version_number DESC"))).at(ids).findValuesAsText("version")).containsExactly(Long.toString(v2), Long.toString(v1));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** What download_artifacts does: list, recurse into directories, GET each file; returns "path=size" of each. */
    private List<String> downloadAll(long id, String dir) throws Exception {
        List<String> got = new ArrayList<>();
        String path = dir.isEmpty() ? Long.toString(id) : id + "/" + dir;
        InMemoryResponse listing = http.get(ARTIFACTS + "?path=" + path.replace(" ", "+").replace("/", "%2F"), AUTH);
        assertThat(listing.statusCode()).isEqualTo(200);
        for (JsonNode f : json(listing).get("files")) {
            String rel = dir.isEmpty() ? f.get("path").asText() : dir + "/" + f.get("path").asText();
            if (f.get("is_dir").asBoolean()) {
                got.addAll(downloadAll(id, rel));
            } else {
                InMemoryResponse file = http.get(ARTIFACTS + "/" + id + "/" + rel.replace(" ", "%20"), AUTH);
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.header("Location")).isEmpty();
                assertThat(file.bodyBytes()).hasSize(f.get("file_size").asInt());
                assertThat(file.header("ETag")).contains("\"" + Sha256.hash(file.bodyBytes()).hex() + "\"");
                got.add(rel + "=" + file.bodyBytes().length);
            }
        }
        return got;
    }

    @Test
    void answersAMissingModelWithResourceDoesNotExist() {
        InMemoryResponse r = get("registered-models/get?name=nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Registered model (name=nope) not found\"}");
    }

    @Test
    void numbersVersionsByPatchAndAcceptsIdOrSemverWhereAVersionIsNamed() throws Exception {
        post("registered-models/create", "{\"name\": \"sentiment\"}");
        long first = json(post("model-versions/create", "{\"name\": \"sentiment\"}")).at("/model_version/version").asLong();
        JsonNode second = json(post("model-versions/create", "{\"name\": \"sentiment\", \"description\": \"better\"}"));
        assertThat(second.at("/model_version/aliases/0").asText()).isEqualTo("1.0.1");
        assertThat(json(get("model-versions/get?name=sentiment&version=1.0.0")).at("/model_version/version").asLong()).isEqualTo(first);
        assertThat(json(get("model-versions/get?name=sentiment&version=" + first)).at("/model_version/aliases/0").asText())
                .isEqualTo("1.0.0");
        InMemoryResponse updated = call("PATCH", "model-versions/update", "{\"name\":\"sentiment\",\"version\":\"1.0.0\","
                + "\"description\":\"described\"}");
        assertThat(json(updated).at("/model_version/description").asText()).isEqualTo("described");
        InMemoryResponse taken = post("model-versions/create", "{\"name\":\"sentiment\",\"tags\":[{\"key\":\"gitlab.version\","
                + "\"value\":\"1.0.1\"}]}");
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(json(taken).get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void searchesModelsByNameWithPagesAndOrder() throws Exception {
        for (String name : List.of("alpha", "beta", "gamma", "alphabet")) {
            post("registered-models/create", "{\"name\": \"" + name + "\"}");
        }
        JsonNode all = json(get("registered-models/search?max_results=2&order_by=name+DESC"));
        assertThat(all.get("registered_models")).extracting(n -> n.get("name").asText()).containsExactly("gamma", "beta");
        String token = all.get("next_page_token").asText();
        JsonNode rest = json(get("registered-models/search?max_results=2&order_by=name+DESC&page_token=" + token));
        assertThat(rest.get("registered_models")).extracting(n -> n.get("name").asText()).containsExactly("alphabet", "alpha");
        assertThat(rest.has("next_page_token")).isFalse();
        assertThat(json(get("registered-models/search?filter=name+LIKE+%27alpha%25%27")).get("registered_models"))
                .extracting(n -> n.get("name").asText()).containsExactly("alpha", "alphabet");
        assertThat(json(get("registered-models/search?filter=name%3D%27beta%27")).get("registered_models"))
                .extracting(n -> n.get("name").asText()).containsExactly("beta");
    }

    @Test
    void deletesAModelWithItsVersionsAndTheirFiles() throws Exception {
        post("registered-models/create", "{\"name\": \"sentiment\"}");
        long id = json(post("model-versions/create", "{\"name\": \"sentiment\"}")).at("/model_version/version").asLong();
        String file = "/api/v4/projects/6/packages/ml_models/" + id + "/files/model.bin";
        assertThat(http.put(file, new byte[] {1}, AUTH).statusCode()).isEqualTo(201);
        InMemoryResponse deleted = call("DELETE", "registered-models/delete", "{\"name\": \"sentiment\"}");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.bodyText()).isEqualTo("{}");
        assertThat(http.get(file, AUTH).statusCode()).isEqualTo(404);
        assertThat(http.put(file, new byte[] {1}, AUTH).statusCode()).isEqualTo(404);
        assertThat(http.get(ARTIFACTS + "?path=" + id, AUTH).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesUploadsToVersionsTheCatalogDoesNotHave() {
        InMemoryResponse r = http.put("/api/v4/projects/6/packages/ml_models/424242/files/model.bin", new byte[] {1}, AUTH);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("{\"message\":\"404 Not Found\"}");
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "POST  | registered-models/create | {}                                      | name",
        "POST  | registered-models/create | {\"name\": \"\"}                        | name",
        "POST  | registered-models/create | {\"name\": \"a\\u0001b\"}                | name",
        "POST  | registered-models/create | [1, 2]                                  | JSON object",
        "POST  | registered-models/create | {not json                               | JSON",
        "POST  | registered-models/create | {\"name\": \"m\", \"tags\": \"x\"}      | tags",
        "POST  | model-versions/create    | {\"name\": \"m\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"v1\"}]} | version",
        "GET   | registered-models/search?max_results=0    | -                      | max_results",
        "GET   | registered-models/search?max_results=-1   | -                      | max_results",
        "GET   | registered-models/search?max_results=1001 | -                      | max_results",
        "GET   | registered-models/search?page_token=%%%   | -                      | page_token",
        "GET   | registered-models/search?page_token=bm9wZQ | -                     | page_token",
        "GET   | registered-models/search?filter=tags.x%3D1 | -                     | filter",
        "GET   | model-versions/get?name=m                  | -                     | version",
    })
    void refusesBadParametersWithInvalidParameterValueNamingThem(String method, String op, String body, String named) throws Exception {
        post("registered-models/create", "{\"name\": \"m\"}");
        InMemoryRequest request = InMemoryRequest.of(method, API + op).headers(AUTH);
        if (!body.equals("-")) {
            request.body(body.getBytes(StandardCharsets.UTF_8));
        }
        InMemoryResponse r = http.send(request);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(r).get("message").asText()).contains(named);
    }

    @Test
    void refusesACatalogBodyOverOneMebibyteWith413() throws Exception {
        byte[] big = ("{\"name\": \"" + "x".repeat(1 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        InMemoryResponse r = http.send(InMemoryRequest.of("POST", API + "registered-models/create").headers(AUTH).body(big));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error_code").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    @ParameterizedTest
    @CsvSource({"GET,experiments/nonsense", "POST,runs/nonsense", "POST,logged-models/m-1/nonsense",
        "GET,registered-models/nonsense", "PUT,registered-models/create", "GET,model-versions/create"})
    void answersEndpointsItDoesNotImplementWith404AtOnce(String method, String op) throws Exception {
        InMemoryResponse r = http.send(InMemoryRequest.of(method, API + op));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
    }

    @Test
    void keepsGitLabsAuthenticationAndProjectErrors() {
        InMemoryResponse anonymous = http.get(API + "registered-models/get?name=x");
        assertThat(anonymous.statusCode()).isEqualTo(404);
        assertThat(anonymous.bodyText()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
        InMemoryResponse badToken = http.get(API + "registered-models/get?name=x", "Authorization", "Bearer glpat-unknown");
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(badToken.bodyText()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
    }
}
