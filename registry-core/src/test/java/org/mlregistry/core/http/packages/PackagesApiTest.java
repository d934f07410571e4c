package org.mlregistry.core.http.packages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryBlobStore;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.MutableClock;

/**
 * GitLab's packages API over model versions, in process: the JSON of GitLab's entities field by field, filters, order,
 * paging headers, roles (read: reporter; delete a file: developer; delete a package: maintainer) and every refusal.
 */
class PackagesApiTest {

    static final String MAINTAINER = "glpat-packages-maintainer";
    static final String DEVELOPER = "glpat-packages-developer";
    static final String REPORTER = "glpat-packages-reporter";
    static final String DEPLOY = "gldt-packages-deploy";
    static final String API = "/api/v4/projects/6/packages";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock();
    ModelRegistry registry;
    InMemoryHttp http;
    RegisteredModel bert;
    ModelVersion v1;
    ModelVersion v2;
    ModelVersion other;

    static Caller caller(String token) {
        return Caller.presenting(Credential.of(Credential.Transport.PRIVATE_TOKEN, token));
    }

    static String[] as(String token) {
        return new String[] {"PRIVATE-TOKEN", token};
    }

    @BeforeEach
    void setUp() throws Exception {
        List<Project> projects = List.of(
                new Project(6, "team/models", Visibility.PRIVATE,
                        Map.of("maint", Role.MAINTAINER, "dev", Role.DEVELOPER, "rep", Role.REPORTER), Set.of()),
                new Project(7, "team/other", Visibility.PRIVATE, Map.of("maint", Role.MAINTAINER), Set.of()));
        List<StoredToken> tokens = List.of(
                StoredToken.personal("maint", Sha256.ofSecret(MAINTAINER), Set.of(Scope.API), null, false),
                StoredToken.personal("dev", Sha256.ofSecret(DEVELOPER), Set.of(Scope.API), null, false),
                StoredToken.personal("rep", Sha256.ofSecret(REPORTER), Set.of(Scope.API), null, false),
                StoredToken.deploy(6, Sha256.ofSecret(DEPLOY), Set.of(Scope.READ_PACKAGE_REGISTRY, Scope.WRITE_PACKAGE_REGISTRY), null,
                        false));
        registry = ModelRegistry.builder().projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(clock, tokens)).store(new InMemoryModelFileStore(clock))
                .catalog(new InMemoryModelCatalog()).blobs(new InMemoryBlobStore(clock)).clock(clock).build();
        http = new InMemoryHttp(registry);
        Caller m = caller(MAINTAINER);
        bert = registry.models().create(m, ProjectRef.ofId(6), "bert", "", List.of());
        v1 = registry.models().createVersion(m, ProjectRef.ofId(6), "bert", "1.0.0", "", List.of());
        clock.advance(java.time.Duration.ofSeconds(1));
        v2 = registry.models().createVersion(m, ProjectRef.ofId(6), "bert", "1.1.0", "", List.of());
        registry.models().create(m, ProjectRef.ofId(7), "secret", "", List.of());
        other = registry.models().createVersion(m, ProjectRef.ofId(7), "secret", "1.0.0", "", List.of());
        put(v1, "config.json", "{}");
        put(v1, "weights/model part.bin", "weights");
    }

    private void put(ModelVersion v, String path, String text) {
        InMemoryResponse r = http.put("/api/v4/projects/6/packages/ml_models/" + v.id() + "/files/" + path.replace(" ", "%20"),
                text.getBytes(StandardCharsets.UTF_8), as(MAINTAINER));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private static JsonNode json(InMemoryResponse r) throws Exception {
        assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.bodyBytes());
    }

    private InMemoryResponse delete(String url, String token) {
        return http.send(InMemoryRequest.of("DELETE", url).headers(as(token)));
    }

    @Test
    void listsPackagesAsGitLabsEntityWithDeletePathsForMaintainersOnly() throws Exception {
        InMemoryResponse r = http.get(API, as(MAINTAINER));
        String created1 = "2026-06-01T12:00:00.000Z";
        assertThat(json(r).get(0).toString()).isEqualTo("{\"id\":" + v1.id() + ",\"name\":\"bert\",\"version\":\"1.0.0\","
                + "\"package_type\":\"ml_model\",\"status\":\"default\",\"_links\":{\"web_path\":\"/team/models/-/packages/"
                + v1.id() + "\",\"delete_api_path\":\"/api/v4/projects/6/packages/" + v1.id() + "\"},"
                + "\"created_at\":\"" + created1 + "\",\"last_downloaded_at\":null,\"tags\":[]}");
        assertThat(json(r).size()).isEqualTo(2);
        JsonNode asReporter = json(http.get(API, as(REPORTER)));
        assertThat(asReporter.get(0).get("_links").has("delete_api_path")).isFalse();
        assertThat(r.header("X-Total")).hasValue("2");
        assertThat(r.header("X-Total-Pages")).hasValue("1");
        assertThat(r.header("X-Page")).hasValue("1");
        assertThat(r.header("X-Per-Page")).hasValue("20");
        assertThat(r.header("X-Next-Page")).hasValue("");
        assertThat(r.header("X-Prev-Page")).hasValue("");
    }

    @Test
    void aPackageListsTheModelsOtherVersionsAndItsFilesWithGitLabsFileNames() throws Exception {
        JsonNode p = json(http.get(API + "/" + v1.id(), as(REPORTER)));
        assertThat(p.get("versions").toString()).isEqualTo("[{\"id\":" + v2.id() + ",\"version\":\"1.1.0\","
                + "\"created_at\":\"2026-06-01T12:00:01.000Z\",\"tags\":[]}]");
        JsonNode files = json(http.get(API + "/" + v1.id() + "/package_files", as(REPORTER)));
        assertThat(files.size()).isEqualTo(2);
        JsonNode weights = files.get(1);
        assertThat(weights.get("file_name").asText()).isEqualTo("weights%2Fmodel%20part.bin");
        assertThat(weights.get("package_id").asLong()).isEqualTo(v1.id());
        assertThat(weights.get("size").asLong()).isEqualTo(7);
        assertThat(weights.get("file_sha256").asText()).isEqualTo(Sha256.hash("weights".getBytes(StandardCharsets.UTF_8)).hex());
        assertThat(weights.get("file_md5").isNull()).isTrue();
        assertThat(weights.fieldNames()).toIterable().containsExactly("id", "package_id", "created_at", "file_name", "size",
                "file_md5", "file_sha1", "file_sha256");
        assertThat(files.get(0).get("id").asLong()).isLessThan(weights.get("id").asLong());
    }

    @Test
    void filtersOrdersAndPages() throws Exception {
        Caller m = caller(MAINTAINER);
        registry.models().create(m, ProjectRef.ofId(6), "albert", "", List.of());
        registry.models().createVersion(m, ProjectRef.ofId(6), "albert", "0.1.0", "", List.of());
        assertThat(json(http.get(API + "?package_name=BER", as(REPORTER))).findValuesAsText("name"))
                .containsExactly("bert", "bert", "albert");
        assertThat(json(http.get(API + "?package_version=1.1.0", as(REPORTER))).findValuesAsText("id"))
                .containsExactly(Long.toString(v2.id()));
        assertThat(json(http.get(API + "?package_type=pypi", as(REPORTER))).size()).isZero();
        assertThat(json(http.get(API + "?package_type=ml_model&order_by=version&sort=desc", as(REPORTER)))
                .findValuesAsText("version")).containsExactly("1.1.0", "1.0.0", "0.1.0");
        assertThat(json(http.get(API + "?order_by=name", as(REPORTER))).findValuesAsText("name"))
                .containsExactly("albert", "bert", "bert");
        InMemoryResponse second = http.get(API + "?per_page=2&page=2&order_by=name", as(REPORTER));
        assertThat(json(second).findValuesAsText("version")).containsExactly("1.1.0");
        assertThat(second.header("X-Total-Pages")).hasValue("2");
        assertThat(second.header("X-Prev-Page")).hasValue("1");
        assertThat(second.header("X-Next-Page")).hasValue("");
        assertThat(second.header("Link")).hasValue("</api/v4/projects/6/packages?order_by=name&page=1&per_page=2>; rel=\"prev\", "
                + "</api/v4/projects/6/packages?order_by=name&page=1&per_page=2>; rel=\"first\", "
                + "</api/v4/projects/6/packages?order_by=name&page=2&per_page=2>; rel=\"last\"");
        assertThat(http.get(API + "?per_page=1000", as(REPORTER)).header("X-Per-Page")).as("capped as GitLab caps it")
                .hasValue("100");
    }

    @Test
    void deletesAFileAsADeveloperAndAPackageAsAMaintainerOnly() throws Exception {
        long fileId = json(http.get(API + "/" + v1.id() + "/package_files", as(REPORTER))).get(0).get("id").asLong();
        assertThat(delete(API + "/" + v1.id() + "/package_files/" + fileId, REPORTER).statusCode()).isEqualTo(403);
        InMemoryResponse deleted = delete(API + "/" + v1.id() + "/package_files/" + fileId, DEVELOPER);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.bodyBytes()).isEmpty();
        assertThat(registry.download(caller(REPORTER), ProjectRef.ofId(6), v1.ref(), FilePath.of("config.json"))).isEmpty();
        assertThat(json(http.get(API + "/" + v1.id() + "/package_files", as(REPORTER))).size()).isEqualTo(1);
        assertThat(delete(API + "/" + v1.id() + "/package_files/" + fileId, DEVELOPER).statusCode()).isEqualTo(404);

        assertThat(delete(API + "/" + v1.id(), DEVELOPER).statusCode()).isEqualTo(403);
        assertThat(http.send(InMemoryRequest.of("DELETE", API + "/" + v1.id()).headers("Deploy-Token", DEPLOY)).statusCode())
                .as("a deploy token has no role to delete packages with").isEqualTo(403);
        assertThat(delete(API + "/" + v1.id(), MAINTAINER).statusCode()).isEqualTo(204);
        assertThat(http.get(API + "/" + v1.id(), as(MAINTAINER)).statusCode()).isEqualTo(404);
        assertThat(registry.models().versions(caller(MAINTAINER), ProjectRef.ofId(6), "bert")).containsExactly(v2);
        assertThat(delete(API + "/" + v1.id(), MAINTAINER).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET    | ?package_type=docker           | 400 | {\"message\":\"400 Bad request - package_type does not have a valid value\"}",
        "GET    | ?order_by=size                 | 400 | {\"message\":\"400 Bad request - order_by does not have a valid value\"}",
        "GET    | ?sort=up                       | 400 | {\"message\":\"400 Bad request - sort does not have a valid value\"}",
        "GET    | ?page=two                      | 400 | {\"message\":\"400 Bad request - page is invalid\"}",
        "GET    | ?per_page=-1                   | 400 | {\"message\":\"400 Bad request - per_page is invalid\"}",
        "GET    | ?package_name=%ZZ              | 400 | {\"message\":\"400 Bad request - package_name is invalid\"}",
        "GET    | /OTHER                         | 404 | {\"message\":\"404 Not Found\"}",
        "GET    | /OTHER/package_files           | 404 | {\"message\":\"404 Not Found\"}",
        "DELETE | /OTHER                         | 404 | {\"message\":\"404 Not Found\"}",
        "GET    | /999999                        | 404 | {\"message\":\"404 Not Found\"}",
        "GET    | /V1/package_files/1            | 405 | {\"message\":\"405 Method Not Allowed\"}",
        "POST   | ''                             | 405 | {\"message\":\"405 Method Not Allowed\"}",
        "GET    | /V1/files                      | 404 | {\"message\":\"404 Not Found\"}",
    })
    void refusesBadInputAsGitLabDoes(String method, String rest, int status, String body) {
        String url = API + rest.replace("OTHER", Long.toString(other.id())).replace("V1", Long.toString(v1.id()));
        InMemoryResponse r = http.send(InMemoryRequest.of(method, url).headers(as(MAINTAINER)));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.bodyText()).isEqualTo(body);
    }

    @Test
    void hidesPrivateProjectsFromStrangersAndAnonymousCallers() {
        assertThat(http.get("/api/v4/projects/7/packages", as(REPORTER)).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v4/projects/7/packages").statusCode()).isEqualTo(404);
        assertThat(http.send(InMemoryRequest.of("DELETE", "/api/v4/projects/6/packages/" + v1.id())).statusCode()).isEqualTo(401);
    }
}
