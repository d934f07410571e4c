package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.Random;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 failing mid-operation: a download is broken off detectably, never a short 200; a failed upload leaves nothing. */
class S3FaultTest {

    private static final String TOKEN = "glpat-faults";

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyExtension.builder().withCredentials(AuthenticationType.NONE, "", "")
            .withBlobStoreProvider("transient").build();

    @TempDir
    Path dir;
    FaultyS3 faulty;
    RegistryServer server;
    S3Client direct;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        direct = S3Client.builder().endpointOverride(proxy.getUri()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create()).build();
        direct.createBucket(b -> b.bucket("models"));
        faulty = new FaultyS3(proxy.getUri());
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "s3", "bucket": "models", "endpoint": "%s", "pathStyle": true,
                               "accessKeyEnv": "A", "secretKeyEnv": "S" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(faulty.uri(), Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), ConfigReloader.DEFAULT_INTERVAL, Map.of("A", "a", "S", "s"));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        faulty.close();
        direct.close();
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String version() throws Exception {
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        send("POST", api + "registered-models/create", "{\"name\":\"m\"}".getBytes());
        return new ObjectMapper().readTree(send("POST", api + "model-versions/create", "{\"name\":\"m\"}".getBytes()).body())
                .at("/model_version/version").asText();
    }

    @Test
    void breaksADownloadOffDetectablyWhenS3FailsMidObject() throws Exception {
        String file = "/projects/1/packages/ml_models/" + version() + "/files/model.bin";
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(content);
        assertThat(send("PUT", file, content).statusCode()).isEqualTo(201);
        faulty.fault = FaultyS3.Fault.CUT_DOWNLOADS;
        Throwable t = catchThrowable(() -> {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + file))
                    .header("PRIVATE-TOKEN", TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
            // if a response arrived at all, it must not pass for the whole file
            assertThat(r.body()).isNotEqualTo(content);
            throw new AssertionError("a short body was delivered as complete: " + r.statusCode() + ", " + r.body().length + " bytes");
        });
        assertThat(t).isInstanceOf(IOException.class);
        faulty.fault = FaultyS3.Fault.NONE;
        assertThat(client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + file)).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(content);
    }

    @Test
    void answers503AndLeavesNothingWhenAnUploadPartFails() throws Exception {
        String file = "/projects/1/packages/ml_models/" + version() + "/files/big.bin";
        faulty.fault = FaultyS3.Fault.FAIL_UPLOAD_PARTS;
        HttpResponse<String> r = send("PUT", file, new byte[9 * 1024 * 1024]);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"message\":\"503 Service Unavailable - the file storage cannot be reached; try again later\"}");
        assertThat(direct.listObjectsV2(b -> b.bucket("models")).contents()).isEmpty();
        assertThat(direct.listMultipartUploads(b -> b.bucket("models")).uploads()).isEmpty();
        faulty.fault = FaultyS3.Fault.NONE;
        assertThat(send("PUT", file, new byte[9 * 1024 * 1024]).statusCode()).isEqualTo(201);
    }

    @Test
    void answers503WhileS3Answers500KeepsThePreviousFileAndRecoversByItself() throws Exception {
        String file = "/projects/1/packages/ml_models/" + version() + "/files/kept.bin";
        byte[] first = new byte[200_000];
        new Random(5).nextBytes(first);
        assertThat(send("PUT", file, first).statusCode()).isEqualTo(201);
        faulty.fault = FaultyS3.Fault.INTERNAL_ERROR;
        HttpResponse<String> replace = send("PUT", file, new byte[100_000]);
        assertThat(replace.statusCode()).isEqualTo(503);
        assertThat(replace.body()).isEqualTo("{\"message\":\"503 Service Unavailable - the file storage cannot be reached; try again later\"}");
        HttpResponse<String> read = send("GET", file, null);
        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        faulty.fault = FaultyS3.Fault.NONE;
        // the fault is over: the previous content is intact, and writes work again, with no restart
        assertThat(client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + file)).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(first);
        assertThat(send("PUT", file, new byte[] {7}).statusCode()).isEqualTo(201);
    }
}
