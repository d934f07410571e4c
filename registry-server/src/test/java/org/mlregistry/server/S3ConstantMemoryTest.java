package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The proxied S3 path in constant memory: the bundled server in its own process at {@code -Xmx64m} takes a
 * 1 GiB upload (streamed in parts) and serves it to 16 concurrent downloaders, from a bucket on disk.
 */
class S3ConstantMemoryTest {

    private static final long SIZE = 1L << 30;
    private static final String TOKEN = "glpat-memory";
    private static final String ACCESS = "memory-access";
    private static final String SECRET = "memory-secret";

    @RegisterExtension
    final S3ProxyExtension proxy = S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).withBlobStoreProvider("filesystem").build();

    /** {@code size} bytes of a cheap, position-dependent pattern, generated as read: never held in memory. */
    private static InputStream pattern(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < size ? value(position++) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) value(position++);
                }
                return n;
            }
        };
    }

    private static int value(long p) {
        return (int) ((p * 31 + (p >>> 11)) & 0xff);
    }

    private static String logOf(ServerProcess server) {
        try {
            return server.log();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Sha256 digest(InputStream in) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
        }
        return Sha256.of(sha.digest());
    }

    @Test
    void servesSixteenConcurrent1GiBDownloadsAtSixtyFourMegabytesOfHeap(@TempDir Path dir) throws Exception {
        TestBuckets.create(proxy.getUri(), ACCESS, SECRET, "models");
        Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "s3", "bucket": "models", "endpoint": "%s", "pathStyle": true,
                               "accessKeyEnv": "S3_ACCESS", "secretKeyEnv": "S3_SECRET" },
                  "catalog": { "type": "none" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(proxy.getUri(), Sha256.ofSecret(TOKEN).hex()));
        Sha256 expected = digest(pattern(SIZE));
        try (ServerProcess server = ServerProcess.start(dir.resolve("registry.json"), dir.resolve("server.log"),
                List.of("-Xmx64m"), Map.of("S3_ACCESS", ACCESS, "S3_SECRET", SECRET))) {
            HttpClient client = HttpClient.newHttpClient();
            // without a catalog a version exists once it has a file: seed it, then upload the big one
            URI seed = URI.create(server.baseUrl() + "/projects/1/packages/ml_models/1/files/seed.txt");
            try (S3Client s3 = TestBuckets.client(proxy.getUri(), ACCESS, SECRET)) {
                s3.putObject(r -> r.bucket("models").key("1/1/seed.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            }
            assertThat(client.send(HttpRequest.newBuilder(seed).header("PRIVATE-TOKEN", TOKEN).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            URI big = URI.create(server.baseUrl() + "/projects/1/packages/ml_models/1/files/big.bin");
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(big).header("PRIVATE-TOKEN", TOKEN)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> pattern(SIZE)), SIZE))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(() -> put.body() + "\n" + logOf(server)).isEqualTo(201);
            List<CompletableFuture<HttpResponse<InputStream>>> downloads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                downloads.add(client.sendAsync(HttpRequest.newBuilder(big).header("PRIVATE-TOKEN", TOKEN).build(),
                        HttpResponse.BodyHandlers.ofInputStream()));
            }
            List<CompletableFuture<Sha256>> digests = new ArrayList<>();
            for (CompletableFuture<HttpResponse<InputStream>> d : downloads) {
                digests.add(d.thenApplyAsync(r -> {
                    assertThat(r.statusCode()).isEqualTo(200);
                    try (InputStream in = r.body()) {
                        return digest(in);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Sha256> d : digests) {
                assertThat(d.get()).isEqualTo(expected);
            }
            assertThat(server.log()).doesNotContain("OutOfMemoryError");
        }
    }
}
