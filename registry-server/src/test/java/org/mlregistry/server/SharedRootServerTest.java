package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Two server processes on one root with the embedded catalog (SQLite, shared on one machine): both start, both write
 * (models, versions, files, concurrently) and each serves what the other wrote, as the README says they may.
 */
class SharedRootServerTest {

    private static final String TOKEN = "glpat-shared-root";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoProcessesOnOneRootBothServeAndWrite() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "team/models", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        try (ServerProcess a = ServerProcess.start(config, dir.resolve("a.log"));
             ServerProcess b = ServerProcess.start(config, dir.resolve("b.log"))) {
            long va = version(a.baseUrl(), "from-a");
            long vb = version(b.baseUrl(), "from-b");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> puts = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String name = "file-" + i + ".bin";
                    puts.add(pool.submit(() -> put(a.baseUrl(), va, name, "a " + name)));
                    puts.add(pool.submit(() -> put(b.baseUrl(), vb, name, "b " + name)));
                }
                for (Future<Integer> f : puts) {
                    assertThat(f.get()).isEqualTo(201);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < 20; i++) {
                String name = "file-" + i + ".bin";
                assertThat(get(b.baseUrl(), va, name)).as("b serves what a wrote").isEqualTo("a " + name);
                assertThat(get(a.baseUrl(), vb, name)).as("a serves what b wrote").isEqualTo("b " + name);
            }
            assertThat(a.log() + b.log()).doesNotContain("ERROR").doesNotContain("locked");

            // an upload in flight in one process survives another process starting on the root (which removes the
            // upload folders of processes that are gone, and collects garbage) after this one collected its own
            Thread.sleep(1000);
            byte[] slow = new byte[2 << 20];
            new java.util.Random(5).nextBytes(slow);
            java.util.concurrent.CompletableFuture<HttpResponse<String>> upload = HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create(b.baseUrl() + "/projects/1/packages/ml_models/" + vb + "/files/slow.bin")).header("PRIVATE-TOKEN", TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(slow))).build(), HttpResponse.BodyHandlers.ofString());
            try (ServerProcess c = ServerProcess.start(dir.resolve("registry.json"), dir.resolve("c.log"))) {
                HttpResponse<String> stored = upload.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
                HttpResponse<byte[]> back = HTTP.send(HttpRequest.newBuilder(URI.create(c.baseUrl() + "/projects/1/packages/ml_models/"
                        + vb + "/files/slow.bin")).header("PRIVATE-TOKEN", TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(back.body()).isEqualTo(slow);
            }
        }
    }

    /** A body that arrives over about three seconds. */
    private static final class SlowStream extends java.io.InputStream {
        private final byte[] bytes;
        private int at;

        SlowStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= bytes.length) {
                return -1;
            }
            try {
                Thread.sleep(90);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = Math.min(Math.min(len, 64 * 1024), bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static long version(String base, String model) throws Exception {
        String api = base + "/projects/1/ml/mlflow/api/2.0/mlflow/";
        assertThat(post(api + "registered-models/create", "{\"name\": \"" + model + "\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> r = post(api + "model-versions/create", "{\"name\": \"" + model + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/model_version/version").asLong();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int put(String base, long version, String name, String content) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/projects/1/packages/ml_models/" + version + "/files/" + name))
                .header("PRIVATE-TOKEN", TOKEN).PUT(HttpRequest.BodyPublishers.ofString(content)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String get(String base, long version, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/projects/1/packages/ml_models/" + version
                + "/files/" + name)).header("PRIVATE-TOKEN", TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
