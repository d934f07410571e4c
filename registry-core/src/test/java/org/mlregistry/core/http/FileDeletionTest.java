package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.MutableClock;

/**
 * Deleting one file (issue 26): {@code DELETE} on the file route (an extension of GitLab's route: what an upload needs,
 * 204, 404 when missing) and on MLflow's {@code mlflow-artifacts/artifacts/<id>/<path>} ({@code {}}, as MLflow's
 * server answers). Over manifests and blobs: the file leaves the version's listings (and a directory it leaves empty
 * with it) while a Hugging Face commit that listed it keeps resolving.
 */
class FileDeletionTest {

    static final String DEV_TOKEN = "glpat-deletion-dev";
    static final String REPORTER_TOKEN = "glpat-deletion-reporter";
    static final String[] DEV = {"PRIVATE-TOKEN", DEV_TOKEN};
    static final String[] REPORTER = {"PRIVATE-TOKEN", REPORTER_TOKEN};
    static final Caller DEV_CALLER = Caller.presenting(Credential.of(Credential.Transport.PRIVATE_TOKEN, DEV_TOKEN));
    static final String FILES = "/api/v4/projects/6/packages/ml_models/";
    static final String ARTIFACTS = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow-artifacts/artifacts";

    final MutableClock clock = new MutableClock();
    ModelRegistry registry;
    InMemoryHttp http;
    ModelVersion v;

    @BeforeEach
    void setUp() throws Exception {
        List<Project> projects = List.of(new Project(6, "team/models", Visibility.PRIVATE,
                Map.of("dev", Role.DEVELOPER, "rep", Role.REPORTER), Set.of()));
        List<StoredToken> tokens = List.of(
                StoredToken.personal("dev", Sha256.ofSecret(DEV_TOKEN), Set.of(Scope.API), null, false),
                StoredToken.personal("rep", Sha256.ofSecret(REPORTER_TOKEN), Set.of(Scope.API), null, false));
        registry = ModelRegistry.builder().projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(clock, tokens)).store(new InMemoryModelFileStore(clock))
                .catalog(new InMemoryModelCatalog()).blobs(new InMemoryBlobStore(clock)).clock(clock).build();
        http = new InMemoryHttp(registry);
        registry.models().create(DEV_CALLER, ProjectRef.ofId(6), "m", "", List.of());
        v = registry.models().createVersion(DEV_CALLER, ProjectRef.ofId(6), "m", "1.0.0", "", List.of());
        put("config.json", "{}");
        put("weights/part-1.bin", "one");
        put("weights/part-2.bin", "two");
    }

    private void put(String path, String text) {
        assertThat(http.put(FILES + v.id() + "/files/" + path, text.getBytes(StandardCharsets.UTF_8), DEV).statusCode())
                .isEqualTo(201);
    }

    private InMemoryResponse delete(String url, String... headers) {
        return http.send(InMemoryRequest.of("DELETE", url).headers(headers));
    }

    @Test
    void theFileRouteDeletesAFileWith204AndItsEmptyDirectoryLeavesTheListing() throws Exception {
        InMemoryResponse r = delete(FILES + v.id() + "/files/weights/part-1.bin", DEV);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.bodyBytes()).isEmpty();
        assertThat(http.get(FILES + v.id() + "/files/weights/part-1.bin", DEV).statusCode()).isEqualTo(404);
        assertThat(http.get(FILES + v.id() + "/files/weights/part-2.bin", DEV).bodyText()).isEqualTo("two");

        assertThat(delete(FILES + v.id() + "/files/weights/part-2.bin", DEV).statusCode()).isEqualTo(204);
        String listing = http.get(ARTIFACTS + "?path=" + v.id(), DEV).bodyText();
        assertThat(listing).contains("config.json").doesNotContain("weights");
    }

    @Test
    void aMissingFileIsA404AndAVersionThatDoesNotExistToo() {
        InMemoryResponse missing = delete(FILES + v.id() + "/files/nothing.bin", DEV);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("{\"message\":\"404 Not Found\"}");
        assertThat(delete(FILES + v.id() + "/files/weights", DEV).statusCode()).as("a directory is no file").isEqualTo(404);
        assertThat(delete(FILES + "999/files/config.json", DEV).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingNeedsWhatUploadingNeeds() {
        String url = FILES + v.id() + "/files/config.json";
        assertThat(delete(url).statusCode()).as("anonymous: as an anonymous upload").isEqualTo(401);
        assertThat(delete(url, "PRIVATE-TOKEN", "glpat-unknown").statusCode()).isEqualTo(401);
        assertThat(delete(url, REPORTER).statusCode()).isEqualTo(403);
        assertThat(http.get(url, REPORTER).bodyText()).as("nothing was deleted").isEqualTo("{}");
    }

    @Test
    void mlflowArtifactsDeleteAnswersAnEmptyObject() {
        InMemoryResponse r = delete(ARTIFACTS + "/" + v.id() + "/config.json", DEV);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{}");
        assertThat(http.get(ARTIFACTS + "/" + v.id() + "/config.json", DEV).statusCode()).isEqualTo(404);
        InMemoryResponse again = delete(ARTIFACTS + "/" + v.id() + "/config.json", DEV);
        assertThat(again.statusCode()).as("MLflow's server answers {} for a path that is not there").isEqualTo(200);
        assertThat(again.bodyText()).isEqualTo("{}");
        InMemoryResponse directory = delete(ARTIFACTS + "/" + v.id() + "/weights", DEV);
        assertThat(directory.statusCode()).isEqualTo(400);
        assertThat(directory.bodyText()).contains("INVALID_PARAMETER_VALUE").contains("a directory");
        assertThat(http.get(ARTIFACTS + "/" + v.id() + "/weights/part-1.bin", DEV).bodyText()).isEqualTo("one");
        assertThat(delete(ARTIFACTS + "/" + v.id() + "/config.json", REPORTER).statusCode()).isEqualTo(403);
    }

    @Test
    void aHuggingFaceCommitThatListedTheFileKeepsResolvingIt() throws Exception {
        String before = registry.hub().snapshot(DEV_CALLER, ProjectRef.ofId(6), "p6/m", "main").commit();
        assertThat(delete(FILES + v.id() + "/files/weights/part-1.bin", DEV).statusCode()).isEqualTo(204);
        String hf = "/api/v4/projects/6/hf/p6/m/resolve/";
        assertThat(http.get(hf + "main/weights/part-1.bin", DEV).statusCode()).isEqualTo(404);
        assertThat(http.get(hf + before + "/weights/part-1.bin", DEV).bodyText()).isEqualTo("one");
    }
}
