package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * "Latest" is the highest semantic version on every route, as GitLab orders versions: a hotfix {@code 0.5.1} created
 * after {@code 2.1.0} does not become what MLflow's {@code get-latest-versions}, a model's {@code latest_versions}, a
 * search page or Hugging Face's {@code main} return; and {@code main} does not move to a version that has no file yet.
 */
class LatestVersionTest {

    static final String MLFLOW = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";
    static final String HF = "/api/v4/projects/6/hf";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    static final ObjectMapper JSON = new ObjectMapper();

    ModelRegistry registry;
    InMemoryHttp http;
    ModelVersion v210;
    ModelVersion v051;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
        http = new InMemoryHttp(registry);
        ProjectRef project = ProjectRef.ofId(6);
        registry.models().create(DEV, project, "m", "", List.of());
        v210 = registry.models().createVersion(DEV, project, "m", "2.1.0", "", List.of());
        put(v210, "config.json", "{\"v\": \"2.1.0\"}");
        v051 = registry.models().createVersion(DEV, project, "m", "0.5.1", "hotfix of an old line", List.of());
        put(v051, "config.json", "{\"v\": \"0.5.1\"}");
    }

    private void put(ModelVersion v, String path, String text) {
        InMemoryResponse r = http.put("/api/v4/projects/6/packages/ml_models/" + v.id() + "/files/" + path,
                text.getBytes(StandardCharsets.UTF_8), AUTH);
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private JsonNode json(InMemoryResponse r) throws Exception {
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
        return JSON.readTree(r.bodyBytes());
    }

    @Test
    void theHighestSemanticVersionIsLatestOnEveryMlflowRoute() throws Exception {
        // GitLab's MLflow API answers a version's id as its "version"
        String id = Long.toString(v210.id());
        JsonNode latest = json(http.post(MLFLOW + "registered-models/get-latest-versions", "{\"name\": \"m\"}", AUTH));
        assertThat(latest.at("/model_versions/0/version").asText()).isEqualTo(id);
        assertThat(latest.at("/model_versions").size()).isEqualTo(1);
        JsonNode model = json(http.get(MLFLOW + "registered-models/get?name=m", AUTH));
        assertThat(model.at("/registered_model/latest_versions/0/version").asText()).isEqualTo(id);
        JsonNode search = json(http.get(MLFLOW + "registered-models/search?filter=name%3D%27m%27", AUTH));
        assertThat(search.at("/registered_models/0/latest_versions/0/version").asText()).isEqualTo(id);
        assertThat(registry.models().latestVersion(DEV, ProjectRef.ofId(6), "m")).contains(registry.models()
                .version(DEV, ProjectRef.ofId(6), "m", "2.1.0"));
    }

    @Test
    void huggingFaceMainIsTheHighestSemanticVersion() throws Exception {
        String main = registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/m", "main").commit();
        assertThat(main).isEqualTo(registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/m", "2.1.0").commit());
        InMemoryResponse config = http.get(HF + "/p6/m/resolve/main/config.json", AUTH);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.bodyText()).isEqualTo("{\"v\": \"2.1.0\"}");
    }

    @Test
    void aNewVersionWithoutFilesDoesNotMoveMainUntilItHasOne() throws Exception {
        ModelVersion v300 = registry.models().createVersion(DEV, ProjectRef.ofId(6), "m", "3.0.0", "", List.of());
        assertThat(http.get(HF + "/p6/m/resolve/main/config.json", AUTH).bodyText()).isEqualTo("{\"v\": \"2.1.0\"}");
        assertThat(json(http.get(HF + "/api/models/p6/m", AUTH)).get("siblings").toString())
                .isEqualTo("[{\"rfilename\":\"config.json\"}]");
        // MLflow's latest is the registry's view, files or not, as GitLab's
        JsonNode latest = json(http.post(MLFLOW + "registered-models/get-latest-versions", "{\"name\": \"m\"}", AUTH));
        assertThat(latest.at("/model_versions/0/version").asText()).isEqualTo(Long.toString(v300.id()));

        put(v300, "config.json", "{\"v\": \"3.0.0\"}");
        assertThat(http.get(HF + "/p6/m/resolve/main/config.json", AUTH).bodyText()).isEqualTo("{\"v\": \"3.0.0\"}");
    }

    @Test
    void aModelWhoseVersionsAllLackFilesStillHasAnEmptyMain() throws Exception {
        registry.models().create(DEV, ProjectRef.ofId(6), "empty", "", List.of());
        registry.models().createVersion(DEV, ProjectRef.ofId(6), "empty", "1.0.0", "", List.of());
        registry.models().createVersion(DEV, ProjectRef.ofId(6), "empty", "0.1.0", "", List.of());
        JsonNode info = json(http.get(HF + "/api/models/p6/empty", AUTH));
        assertThat(info.get("siblings").toString()).isEqualTo("[]");
        assertThat(info.get("sha").asText())
                .isEqualTo(registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/empty", "1.0.0").commit());
    }
}
