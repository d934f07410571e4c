package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/** The bundled server over an S3-compatible bucket (s3proxy in-process), proxied and redirected. */
class S3ServerTest {

    private static final String TOKEN = "glpat-s3";
    private static final String ACCESS = "s3-access";
    private static final String SECRET = "s3-secret";

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).withBlobStoreProvider("transient").build();

    @TempDir
    Path dir;
    RegistryServer server;
    final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Starts the server without a catalog over {@code storage} (the JSON of the storage section). */
    private void startOver(String storage) throws Exception {
        Path config = Files.writeString(dir.resolve("plain.json"), """
                {
                  "storage": %s,
                  "catalog": { "type": "none" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(storage, Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), ConfigReloader.DEFAULT_INTERVAL,
                Map.of("MLREG_TEST_ACCESS", ACCESS, "MLREG_TEST_SECRET", SECRET));
    }

    @Test
    void startsAndAnswers503QuicklyWhenTheBucketCannotBeReached() throws Exception {
        java.net.ServerSocket closed = new java.net.ServerSocket(0);
        int port = closed.getLocalPort();
        closed.close(); // nothing listens there now
        startOver("""
                { "type": "s3", "bucket": "models", "endpoint": "http://127.0.0.1:%d", "pathStyle": true,
                  "accessKeyEnv": "MLREG_TEST_ACCESS", "secretKeyEnv": "MLREG_TEST_SECRET" }""".formatted(port));
        long start = System.nanoTime();
        HttpResponse<String> get = send("GET", "/projects/1/packages/ml_models/1/files/model.bin", null);
        HttpResponse<String> put = send("PUT", "/projects/1/packages/ml_models/1/files/model.bin", "x");
        HttpResponse<String> list = send("GET", "/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path=1", null);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
        for (HttpResponse<String> r : List.of(get, put)) {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("{\"message\":\"503 Service Unavailable - the file storage cannot be reached; try again later\"}");
        }
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(list.body()).contains("\"error_code\":\"TEMPORARILY_UNAVAILABLE\"");
    }

    @Test
    void answers503WhenTheBucketIsMissing() throws Exception {
        startOver("""
                { "type": "s3", "bucket": "absent", "endpoint": "%s", "pathStyle": true,
                  "accessKeyEnv": "MLREG_TEST_ACCESS", "secretKeyEnv": "MLREG_TEST_SECRET" }""".formatted(proxy.getUri()));
        for (String method : List.of("GET", "PUT")) {
            HttpResponse<String> r = send(method, "/projects/1/packages/ml_models/1/files/model.bin", method.equals("PUT") ? "x" : null);
            assertThat(r.statusCode()).as(method).isEqualTo(503);
            assertThat(r.body()).as(method).contains("503 Service Unavailable");
        }
    }

    private void start(boolean redirect) throws Exception {
        TestBuckets.create(proxy.getUri(), ACCESS, SECRET, "models");
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "s3", "bucket": "models", "endpoint": "%s", "pathStyle": true, "prefix": "registry",
                               "redirect": %s, "accessKeyEnv": "MLREG_TEST_ACCESS", "secretKeyEnv": "MLREG_TEST_SECRET" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(proxy.getUri(), redirect, Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), ConfigReloader.DEFAULT_INTERVAL,
                Map.of("MLREG_TEST_ACCESS", ACCESS, "MLREG_TEST_SECRET", SECRET));
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String createVersion() throws Exception {
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        send("POST", api + "registered-models/create", "{\"name\":\"m\"}");
        return new ObjectMapper().readTree(send("POST", api + "model-versions/create", "{\"name\":\"m\"}").body())
                .at("/model_version/version").asText();
    }

    @Test
    void storesListsAndServesFilesFromTheBucket() throws Exception {
        start(false);
        String id = createVersion();
        String file = "/projects/1/packages/ml_models/" + id + "/files/weights/model.bin";
        assertThat(send("PUT", file, "bucket weights").statusCode()).isEqualTo(201);
        HttpResponse<String> got = send("GET", file, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("bucket weights");
        assertThat(got.headers().firstValue("ETag")).contains("\"" + Sha256.hash("bucket weights".getBytes()).hex() + "\"");
        assertThat(send("GET", "/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path=" + id, null).body())
                .isEqualTo("{\"files\":[{\"path\":\"weights\",\"is_dir\":true}]}");
        HttpResponse<String> range = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + file))
                .header("PRIVATE-TOKEN", TOKEN).header("Range", "bytes=7-").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("weights");
    }

    @Test
    void redirectsTheFileRouteToAPresignedUrlButNeverTheMlflowRoute() throws Exception {
        start(true);
        String id = createVersion();
        assertThat(send("PUT", "/projects/1/packages/ml_models/" + id + "/files/model.bin", "signed").statusCode()).isEqualTo(201);
        HttpResponse<String> redirected = send("GET", "/projects/1/packages/ml_models/" + id + "/files/model.bin", null);
        assertThat(redirected.statusCode()).isEqualTo(302);
        URI location = URI.create(redirected.headers().firstValue("Location").orElseThrow());
        assertThat(client.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("signed");
        HttpResponse<String> artifact = send("GET", "/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts/" + id + "/model.bin", null);
        assertThat(artifact.statusCode()).isEqualTo(200);
        assertThat(artifact.body()).isEqualTo("signed");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/projects/1/packages/ml_models/" + id
                + "/files/model.bin")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("an anonymous caller is refused before any URL is signed").isEqualTo(404);
    }
}
