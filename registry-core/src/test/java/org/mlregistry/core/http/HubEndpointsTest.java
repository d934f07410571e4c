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
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.HubRepos;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * The Hugging Face endpoints as {@code huggingface_hub} reads them: exact JSON, the headers its download
 * code requires, and the {@code X-Error-Code} of every refusal. Endpoint: {@code /api/v4/projects/6/hf}
 * (private project 6, namespace {@code p6}); model {@code sentiment} with versions 1.0.0 and 1.1.0.
 */
class HubEndpointsTest {

    static final String E = "/api/v4/projects/6/hf";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final Caller DEV = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] CONFIG = "{\"hidden_size\": 4}".getBytes(StandardCharsets.UTF_8);
    static final byte[] WEIGHTS = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    ModelRegistry registry;
    InMemoryHttp http;
    ModelVersion first;
    ModelVersion second;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
        http = new InMemoryHttp(registry);
        ProjectRef project = ProjectRef.ofId(6);
        registry.models().create(DEV, project, "sentiment", "", List.of());
        first = registry.models().createVersion(DEV, project, "sentiment", "1.0.0", "", List.of());
        second = registry.models().createVersion(DEV, project, "sentiment", "1.1.0", "", List.of());
        put(first, "config.json", CONFIG);
        put(second, "config.json", CONFIG);
        put(second, "model.safetensors", WEIGHTS);
        put(second, "sub/deeper/tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
    }

    private void put(ModelVersion v, String path, byte[] bytes) {
        assertThat(http.put("/api/v4/projects/6/packages/ml_models/" + v.id() + "/files/" + path, bytes, AUTH).statusCode())
                .isEqualTo(201);
    }

    private static JsonNode json(InMemoryResponse r) throws Exception {
        return JSON.readTree(r.bodyBytes());
    }

    private String commitOf(String revision) throws Exception {
        return registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/sentiment", revision).commit();
    }

    @Test
    void modelInfoNamesTheNewestVersionsCommitAndFiles() throws Exception {
        InMemoryResponse r = http.get(E + "/api/models/p6/sentiment", AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        String sha = commitOf("1.1.0");
        assertThat(sha).matches("[0-9a-f]{40}");
        assertThat(r.bodyText()).isEqualTo("{\"_id\":\"" + sha + "\",\"id\":\"p6/sentiment\",\"modelId\":\"p6/sentiment\","
                + "\"author\":\"p6\",\"sha\":\"" + sha + "\",\"lastModified\":\"2026-06-01T12:00:00.000Z\","
                + "\"createdAt\":\"2026-06-01T12:00:00.000Z\",\"private\":true,\"disabled\":false,\"gated\":false,\"tags\":[],"
                + "\"downloads\":0,\"likes\":0,\"siblings\":[{\"rfilename\":\"config.json\"},{\"rfilename\":\"model.safetensors\"},"
                + "{\"rfilename\":\"sub/deeper/tokenizer.json\"}]}");
        assertThat(http.get(E + "/api/models/p6/sentiment/revision/main", AUTH).bodyText()).isEqualTo(r.bodyText());
    }

    @Test
    void aSemanticVersionAndItsCommitIdNameTheSameRevision() throws Exception {
        JsonNode bySemver = json(http.get(E + "/api/models/p6/sentiment/revision/1.0.0", AUTH));
        String sha = bySemver.get("sha").asText();
        assertThat(sha).isNotEqualTo(commitOf("main"));
        assertThat(bySemver.get("siblings").toString()).isEqualTo("[{\"rfilename\":\"config.json\"}]");
        JsonNode byCommit = json(http.get(E + "/api/models/p6/sentiment/revision/" + sha, AUTH));
        assertThat(byCommit).isEqualTo(bySemver);
        // derived from the version id and its files, as documented: anyone can recompute it
        HubSnapshot s = registry.hub().snapshot(DEV, ProjectRef.ofId(6), "p6/sentiment", "1.0.0");
        assertThat(HubRepos.commitId(first.id(), s.files())).isEqualTo(sha);
    }

    @Test
    void resolveAnswersHeadWithWhatTheClientNeedsAndGetWithTheBytes() throws Exception {
        String sha = commitOf("main");
        String etag = "\"" + Sha256.hash(WEIGHTS).hex() + "\"";
        for (String rev : List.of("main", "1.1.0", sha)) {
            InMemoryResponse head = http.head(E + "/p6/sentiment/resolve/" + rev + "/model.safetensors", AUTH);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.header("X-Repo-Commit")).hasValue(sha);
            assertThat(head.header("ETag")).hasValue(etag);
            assertThat(head.header("X-Linked-Etag")).hasValue(etag);
            assertThat(head.header("X-Linked-Size")).hasValue("10");
            assertThat(head.header("Content-Length")).hasValue("10");
            assertThat(head.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-xet") || h.equalsIgnoreCase("Location"));
        }
        InMemoryResponse get = http.get(E + "/p6/sentiment/resolve/main/model.safetensors", AUTH);
        assertThat(get.bodyBytes()).isEqualTo(WEIGHTS);
        InMemoryResponse deep = http.get(E + "/p6/sentiment/resolve/1.1.0/sub/deeper/tokenizer.json", AUTH);
        assertThat(deep.bodyText()).isEqualTo("{}");
        InMemoryResponse ranged = http.get(E + "/p6/sentiment/resolve/main/model.safetensors", "Range", "bytes=7-", AUTH[0], AUTH[1]);
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.bodyBytes()).containsExactly(8, 9, 10);
        assertThat(ranged.header("X-Repo-Commit")).hasValue(sha);
    }

    @Test
    void replacingAFileChangesTheCommitIdAndTheOldOneNoLongerResolves() throws Exception {
        String before = commitOf("main");
        put(second, "model.safetensors", new byte[] {42});
        String after = commitOf("main");
        assertThat(after).isNotEqualTo(before).matches("[0-9a-f]{40}");
        assertThat(http.get(E + "/p6/sentiment/resolve/" + after + "/model.safetensors", AUTH).bodyBytes()).containsExactly(42);
        InMemoryResponse old = http.head(E + "/p6/sentiment/resolve/" + before + "/model.safetensors", AUTH);
        assertThat(old.statusCode()).isEqualTo(404);
        assertThat(old.header("X-Error-Code")).hasValue("RevisionNotFound");
        // adding a file changes it too; the same files give the same id again
        put(second, "extra.txt", new byte[] {1});
        assertThat(commitOf("main")).isNotEqualTo(after);
        assertThat(commitOf("main")).isEqualTo(commitOf("1.1.0"));
    }

    @Test
    void treeListsOneLevelOrEverythingAndPathsEitherEncodedOrNot() throws Exception {
        String sha = commitOf("main");
        InMemoryResponse top = http.get(E + "/api/models/p6/sentiment/tree/main", AUTH);
        assertThat(top.statusCode()).isEqualTo(200);
        JsonNode entries = json(top);
        assertThat(entries.size()).isEqualTo(3);
        assertThat(entries.get(0).toString()).isEqualTo("{\"type\":\"file\",\"oid\":\"" + Sha256.hash(CONFIG).hex()
                + "\",\"size\":" + CONFIG.length + ",\"path\":\"config.json\"}");
        assertThat(entries.get(2).get("type").asText()).isEqualTo("directory");
        assertThat(entries.get(2).get("path").asText()).isEqualTo("sub");
        assertThat(entries.get(2).get("oid").asText()).matches("[0-9a-f]{40}");
        assertThat(entries.get(2).get("size").asLong()).isZero();

        for (String recursive : List.of("true", "True", "1")) {
            assertThat(paths(http.get(E + "/api/models/p6/sentiment/tree/" + sha + "?recursive=" + recursive + "&expand=false", AUTH)))
                    .containsExactly("config.json", "model.safetensors", "sub", "sub/deeper", "sub/deeper/tokenizer.json");
        }
        assertThat(paths(http.get(E + "/api/models/p6/sentiment/tree/main/sub%2Fdeeper?recursive=False", AUTH)))
                .containsExactly("sub/deeper/tokenizer.json");
        assertThat(paths(http.get(E + "/api/models/p6/sentiment/tree/main/sub/deeper", AUTH)))
                .containsExactly("sub/deeper/tokenizer.json");
        assertThat(paths(http.get(E + "/api/models/p6/sentiment/tree/main/sub", AUTH))).containsExactly("sub/deeper");
        // what the transformers tokenizer asks for: an empty list, not a 404
        InMemoryResponse missing = http.get(E + "/api/models/p6/sentiment/tree/main/additional_chat_templates?recursive=false", AUTH);
        assertThat(missing.statusCode()).isEqualTo(200);
        assertThat(missing.bodyText()).isEqualTo("[]");
        assertThat(http.get(E + "/api/models/p6/sentiment/tree/main?recursive=maybe", AUTH).statusCode()).isEqualTo(400);
    }

    @Test
    void treePagesAreLinkedUnderThePublicUrlNeverTheClientsHost() throws Exception {
        InMemoryHttp published = new InMemoryHttp(new RegistryHttpHandler(registry, RegistryFixture.CLOCK,
                java.net.URI.create("https://models.example.com/api/v4")));
        List<String> all = new ArrayList<>();
        String url = E + "/api/models/p6/sentiment/tree/main?recursive=true&limit=2";
        int pages = 0;
        while (url != null) {
            InMemoryResponse page = published.get(url, AUTH[0], AUTH[1], "Host", "attacker.example");
            assertThat(page.statusCode()).isEqualTo(200);
            all.addAll(paths(page));
            pages++;
            String link = page.header("Link").orElse(null);
            if (link == null) {
                url = null;
            } else {
                assertThat(link).matches("<https://models\\.example\\.com/api/v4/projects/6/hf/api/models/p6/sentiment/tree/main"
                        + "\\?[^>]*>; rel=\"next\"");
                url = link.substring("<https://models.example.com".length(), link.indexOf('>'));
            }
        }
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly("config.json", "model.safetensors", "sub", "sub/deeper", "sub/deeper/tokenizer.json");
    }

    @Test
    void treePagesAreLinkedByARelativeReferenceWithoutAPublicUrl() throws Exception {
        InMemoryResponse first = http.get(E + "/api/models/p6/sentiment/tree/main?recursive=true&limit=2", AUTH);
        assertThat(first.header("Link")).hasValue("<?recursive=true&expand=false&limit=2&cursor=2>; rel=\"next\"");
        InMemoryResponse second = http.get(E + "/api/models/p6/sentiment/tree/main?recursive=true&expand=false&limit=2&cursor=2", AUTH);
        assertThat(paths(second)).containsExactly("sub", "sub/deeper");
    }

    private static List<String> paths(InMemoryResponse r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        json(r).forEach(e -> out.add(e.get("path").asText()));
        return out;
    }

    @Test
    void aMissingFileIsAnEntryNotFoundNamingTheCommit() throws Exception {
        for (String method : List.of("HEAD", "GET")) {
            InMemoryResponse r = method.equals("HEAD") ? http.head(E + "/p6/sentiment/resolve/main/absent.json", AUTH)
                    : http.get(E + "/p6/sentiment/resolve/main/absent.json", AUTH);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.header("X-Error-Code")).hasValue("EntryNotFound");
            assertThat(r.header("X-Repo-Commit")).hasValue(commitOf("main"));
            if (method.equals("GET")) {
                assertThat(r.bodyText()).isEqualTo("{\"error\":\"Entry not found\"}");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/p6/unknown/resolve/main/config.json", "/p7/sentiment/resolve/main/config.json",
        "/p6/a--b/resolve/main/config.json", "/p6/..sentiment/resolve/main/config.json", "/p6/sentiment.git/resolve/main/config.json",
        "/p6/sent%2Fiment/resolve/main/config.json", "/p6/sent%ZZ/resolve/main/config.json", "/api/models/p6/unknown",
        "/api/models/p6/sentiment%2Fx/tree/main", "/api/models/other/sentiment/revision/main",
        "/p6/sentiment/x/resolve/main/config.json", "/api/models/p6/sentiment/x/tree/main", "/api/models/p6/sentiment/x/revision/main"})
    void whatNamesNoModelHereIsRepoNotFound(String path) throws Exception {
        InMemoryResponse r = http.get(E + path, AUTH);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.header("X-Error-Code")).hasValue("RepoNotFound");
        assertThat(json(r).get("error").asText()).isEqualTo("Repository not found");
    }

    @Test
    void aPrivateProjectWithoutATokenOrWithAWrongOneIsRepoNotFound() throws Exception {
        InMemoryResponse anonymous = http.head(E + "/p6/sentiment/resolve/main/config.json");
        assertThat(anonymous.statusCode()).as("a private project is not revealed to an anonymous caller").isEqualTo(404);
        assertThat(anonymous.header("X-Error-Code")).hasValue("RepoNotFound");
        InMemoryResponse wrong = http.get(E + "/api/models/p6/sentiment", "Authorization", "Bearer glpat-wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.header("X-Error-Code")).hasValue("RepoNotFound");
        assertThat(wrong.bodyText()).doesNotContain("glpat-wrong");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0.0", "1.0", "v1.0.0", "0123456789abcdef0123456789abcdef01234567", "latest", "main%2Fx", "%ZZ"})
    void aRevisionThatNamesNoVersionIsRevisionNotFound(String rev) throws Exception {
        InMemoryResponse r = http.get(E + "/p6/sentiment/resolve/" + rev + "/config.json", AUTH);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.header("X-Error-Code")).hasValue("RevisionNotFound");
        assertThat(json(r).get("error").asText()).startsWith("Invalid rev id");
        assertThat(http.get(E + "/api/models/p6/sentiment/revision/" + rev, AUTH).header("X-Error-Code")).hasValue("RevisionNotFound");
    }

    @Test
    void aSemverWithBuildMetadataArrivesEncodedAndIsDecodedOnce() throws Exception {
        registry.models().createVersion(DEV, ProjectRef.ofId(6), "sentiment", "2.0.0+build.7", "", List.of());
        InMemoryResponse r = http.get(E + "/api/models/p6/sentiment/revision/2.0.0%2Bbuild.7", AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("siblings").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../config.json", "sub/../config.json", "%2e%2e/config.json", "sub%2F..%2Fconfig.json", "a//b"})
    void pathsTheFileRouteRefusesAreRefusedTheSameWay(String path) throws Exception {
        InMemoryResponse hub = http.get(E + "/p6/sentiment/resolve/main/" + path, AUTH);
        InMemoryResponse file = http.get("/api/v4/projects/6/packages/ml_models/" + second.id() + "/files/" + path, AUTH);
        assertThat(hub.statusCode()).isEqualTo(file.statusCode()).isEqualTo(400);
        assertThat(hub.bodyText()).doesNotContain("tokenizer");
        assertThat(http.get(E + "/api/models/p6/sentiment/tree/main/" + path, AUTH).statusCode()).isIn(400);
    }

    @Test
    void writesAndUnknownEndpointsAreRefusedAsJson() throws Exception {
        InMemoryResponse post = http.post(E + "/api/models/p6/sentiment", "{}", AUTH);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.header("Allow")).hasValue("GET, HEAD");
        InMemoryResponse put = http.put(E + "/p6/sentiment/resolve/main/config.json", new byte[] {1}, AUTH);
        assertThat(put.statusCode()).isEqualTo(405);
        InMemoryResponse unknown = http.get(E + "/api/whoami-v2", AUTH);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("not implemented");
        assertThat(unknown.route().template()).isEqualTo("/projects/:id/hf/*");
        assertThat(http.get(E + "/p6/sentiment/resolve/main/config.json", AUTH).route().template())
                .isEqualTo("/projects/:id/hf/:namespace/:model/resolve/:revision/*path");
    }

    @Test
    void aModelWithoutVersionsHasNoMainRevision() throws Exception {
        registry.models().create(DEV, ProjectRef.ofId(6), "empty", "", List.of());
        InMemoryResponse r = http.get(E + "/api/models/p6/empty", AUTH);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.header("X-Error-Code")).hasValue("RevisionNotFound");
    }
}
