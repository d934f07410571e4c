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
 * Managing versions through the bundled server (issue 26), over real HTTP with the embedded catalog: "latest" is the
 * highest semantic version on MLflow's routes and Hugging Face's {@code main} ({@code 2.1.0} stays latest when the
 * hotfix {@code 0.5.1} is created after it), {@code main} does not move to a version without files, the file route
 * deletes one file ({@code DELETE}, 204), and an upload's {@code status} other than {@code default} is a 400.
 */
class VersionManagementServerTest {

    private static final String TOKEN = "glpat-version-management";
    private static final String MAINTAINER = "glpat-version-management-maintainer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MLFLOW = "/projects/1/ml/mlflow/api/2.0/mlflow/";

    @TempDir
    Path dir;
    private Path config;
    private RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        Path written = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private",
                                  "members": { "dev": "developer", "maint": "maintainer" }, "hubNamespace": "team" } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] },
                              { "kind": "personal", "user": "maint", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex(), Sha256.ofSecret(MAINTAINER).hex()));
        this.config = written;
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", written.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private long version(String model, String semver) throws Exception {
        send("POST", MLFLOW + "registered-models/create", "{\"name\": \"" + model + "\"}");
        HttpResponse<String> r = send("POST", MLFLOW + "model-versions/create",
                "{\"name\": \"" + model + "\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"" + semver + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/model_version/version").asLong();
    }

    private HttpResponse<String> file(String method, long version, String pathAndQuery, String body) throws Exception {
        return send(method, "/projects/1/packages/ml_models/" + version + "/files/" + pathAndQuery, body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, TOKEN);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void theHighestSemanticVersionIsLatestOnEveryRouteAndMainWaitsForFiles() throws Exception {
        long v210 = version("m", "2.1.0");
        assertThat(file("PUT", v210, "config.json", "{\"v\": \"2.1.0\"}").statusCode()).isEqualTo(201);
        long v051 = version("m", "0.5.1");
        assertThat(file("PUT", v051, "config.json", "{\"v\": \"0.5.1\"}").statusCode()).isEqualTo(201);

        String latest = Long.toString(v210);
        assertThat(json(send("POST", MLFLOW + "registered-models/get-latest-versions", "{\"name\": \"m\"}"))
                .at("/model_versions/0/version").asText()).isEqualTo(latest);
        assertThat(json(send("GET", MLFLOW + "registered-models/get?name=m", ""))
                .at("/registered_model/latest_versions/0/version").asText()).isEqualTo(latest);
        assertThat(json(send("GET", MLFLOW + "registered-models/search?filter=name%3D%27m%27", ""))
                .at("/registered_models/0/latest_versions/0/version").asText()).isEqualTo(latest);
        String hf = "/projects/team%2Fmodels/hf/team/m/resolve/main/config.json";
        assertThat(send("GET", hf, "").body()).isEqualTo("{\"v\": \"2.1.0\"}");

        long v300 = version("m", "3.0.0");
        assertThat(send("GET", hf, "").body()).as("a version without files does not move main").isEqualTo("{\"v\": \"2.1.0\"}");
        assertThat(file("PUT", v300, "config.json", "{\"v\": \"3.0.0\"}").statusCode()).isEqualTo(201);
        assertThat(send("GET", hf, "").body()).isEqualTo("{\"v\": \"3.0.0\"}");
    }

    @Test
    void thePackagesApiPagesOver250VersionsAndItsDeletionsLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 250; i++) {
            version("many", "1." + i + ".0");
        }
        long first = JSON.readTree(send("GET", "/projects/1/packages?order_by=version&per_page=100", "").body()).get(0).get("id")
                .asLong();
        int seen = 0;
        String url = "/projects/1/packages?order_by=version&per_page=100";
        for (int page = 1; page <= 3; page++) {
            HttpResponse<String> r = send("GET", url.replace("per_page=100", "per_page=100&page=" + page), "");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Total")).hasValue("250");
            assertThat(r.headers().firstValue("X-Total-Pages")).hasValue("3");
            assertThat(r.headers().firstValue("X-Page")).hasValue(Integer.toString(page));
            assertThat(r.headers().firstValue("X-Next-Page")).hasValue(page < 3 ? Integer.toString(page + 1) : "");
            assertThat(r.headers().firstValue("Link").orElseThrow()).contains("rel=\"last\"")
                    .contains("/api/v4/projects/1/packages?order_by=version&page=3&per_page=100");
            JsonNode items = JSON.readTree(r.body());
            assertThat(items.size()).isEqualTo(page < 3 ? 100 : 50);
            if (page == 3) {
                assertThat(items.get(49).get("version").asText()).as("semantic order: 1.249.0 last").isEqualTo("1.249.0");
            }
            seen += items.size();
        }
        assertThat(seen).isEqualTo(250);

        // GitLab's entities (API::Entities::Package, ::PackageFile), field by field, over the wire
        HttpResponse<String> listed = send("GET", "/projects/1/packages?order_by=version&per_page=1", "");
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode p = JSON.readTree(listed.body()).get(0);
        String iso = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
        assertThat(p.fieldNames()).toIterable().containsExactly("id", "name", "version", "package_type", "status", "_links",
                "created_at", "last_downloaded_at", "tags");
        assertThat(p.get("id").asLong()).isEqualTo(first);
        assertThat(p.get("name").asText()).isEqualTo("many");
        assertThat(p.get("version").asText()).isEqualTo("1.0.0");
        assertThat(p.get("package_type").asText()).isEqualTo("ml_model");
        assertThat(p.get("status").asText()).isEqualTo("default");
        assertThat(p.get("_links").toString()).as("a developer is shown no delete path")
                .isEqualTo("{\"web_path\":\"/team/models/-/packages/" + first + "\"}");
        assertThat(p.get("created_at").asText()).matches(iso);
        assertThat(p.get("last_downloaded_at").isNull()).isTrue();
        assertThat(p.get("tags").toString()).isEqualTo("[]");
        JsonNode asMaintainer = JSON.readTree(send("GET", "/projects/1/packages?order_by=version&per_page=1", "", MAINTAINER).body());
        assertThat(asMaintainer.get(0).get("_links").get("delete_api_path").asText())
                .as("a full URL, as GitLab's expose_url gives").isEqualTo(server.baseUrl() + "/projects/1/packages/" + first);
        JsonNode one = json(send("GET", "/projects/1/packages/" + first, ""));
        assertThat(one.get("versions").size()).as("the model's other versions").isEqualTo(249);
        assertThat(one.get("versions").get(0).fieldNames()).toIterable().containsExactly("id", "version", "created_at", "tags");

        assertThat(file("PUT", first, "weights.bin", "package weights").statusCode()).isEqualTo(201);
        JsonNode files = json(send("GET", "/projects/1/packages/" + first + "/package_files", ""));
        assertThat(files.get(0).fieldNames()).toIterable().containsExactly("id", "package_id", "created_at", "file_name", "size",
                "file_md5", "file_sha1", "file_sha256");
        assertThat(files.get(0).get("package_id").asLong()).isEqualTo(first);
        assertThat(files.get(0).get("created_at").asText()).matches(iso);
        assertThat(files.get(0).get("size").asLong()).isEqualTo("package weights".length());
        assertThat(files.get(0).get("file_md5").isNull()).isTrue();
        assertThat(files.get(0).get("file_name").asText()).isEqualTo("weights.bin");
        assertThat(files.get(0).get("file_sha256").asText())
                .isEqualTo(Sha256.hash("package weights".getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex());
        HttpResponse<String> denied = send("DELETE", "/projects/1/packages/" + first, "");
        assertThat(denied.statusCode()).as("a developer may not delete a package").isEqualTo(403);
        assertThat(send("DELETE", "/projects/1/packages/" + first + "/package_files/" + files.get(0).get("id").asLong(), "")
                .statusCode()).isEqualTo(204);
        assertThat(file("GET", first, "weights.bin", "").statusCode()).isEqualTo(404);
        assertThat(json(send("GET", "/projects/1/packages/" + first + "/package_files", "")).size()).isZero();

        // a maintainer deletes a package: its catalog rows go at once, its blob with the next collection
        byte[] weights = "weights of a package deleted whole".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(file("PUT", first, "weights.bin", new String(weights, java.nio.charset.StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(201);
        assertThat(send("DELETE", "/projects/1/packages/" + first, "", MAINTAINER).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/projects/1/packages/" + first, "").statusCode()).isEqualTo(404);
        assertThat(send("GET", MLFLOW + "model-versions/get?name=many&version=" + first, "").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(send("GET", "/projects/1/packages?per_page=1", "").body()).size()).isEqualTo(1);
        assertThat(send("GET", "/projects/1/packages", "").headers().firstValue("X-Total")).hasValue("249");
        server.stop();
        server = null;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(UpkeepCommand.run(List.of("gc", "--config", config.toString(), "--keep", "none", "--grace-minutes", "0"),
                java.util.Map.of(), print, print)).as(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        String hex = Sha256.hash(weights).hex();
        assertThat(dir.resolve("data/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex))
                .doesNotExist();
    }

    @Test
    void theFileRouteDeletesOneFileAndRefusesAnUploadStatusOtherThanDefault() throws Exception {
        long v = version("d", "1.0.0");
        assertThat(file("PUT", v, "weights/part-1.bin?status=default", "one").statusCode()).isEqualTo(201);
        assertThat(file("PUT", v, "config.json", "{}").statusCode()).isEqualTo(201);
        HttpResponse<String> bogus = file("PUT", v, "other.bin?status=bogus", "x");
        assertThat(bogus.statusCode()).isEqualTo(400);
        assertThat(bogus.body()).isEqualTo("{\"message\":\"400 Bad request - status does not have a valid value\"}");
        assertThat(file("GET", v, "other.bin", "").statusCode()).isEqualTo(404);

        HttpResponse<String> deleted = file("DELETE", v, "weights/part-1.bin", "");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(file("GET", v, "weights/part-1.bin", "").statusCode()).isEqualTo(404);
        assertThat(file("DELETE", v, "weights/part-1.bin", "").statusCode()).isEqualTo(404);
        JsonNode listing = json(send("GET", "/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path=" + v, ""));
        assertThat(listing.get("files").toString()).contains("config.json").doesNotContain("weights");
    }
}
