package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/** GitLab's upload semantics through the bundled server: newest wins, atomically, or write-once when configured. */
class OverwriteServerTest {

    private static final String TOKEN = "glpat-overwriter";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    RegistryServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(String globalPolicy, String project2Policy) throws Exception {
        Files.createDirectories(dir.resolve("data/1/1"));
        Files.createDirectories(dir.resolve("data/2/1"));
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true }, "catalog": { "type": "none" },
                  %s
                  "projects": [
                    { "id": 1, "path": "grp/one", "visibility": "private", "members": { "dev": "developer" } },
                    { "id": 2, "path": "grp/two", "visibility": "private", "members": { "dev": "developer" } %s }
                  ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(globalPolicy == null ? "" : "\"fileOverwrite\": \"" + globalPolicy + "\",",
                project2Policy == null ? "" : ", \"fileOverwrite\": \"" + project2Policy + "\"", Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private URI uri(long project, String file) {
        return URI.create(server.baseUrl() + "/projects/" + project + "/packages/ml_models/1/files/" + file);
    }

    private HttpResponse<String> put(long project, String file, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(project, file)).header("PRIVATE-TOKEN", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(long project, String file) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(project, file)).header("PRIVATE-TOKEN", TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] version(int i) {
        byte[] b = new byte[1_000_000 + i * 37_001]; // every version has its own size: a splice cannot hide
        new Random(i).nextBytes(b);
        return b;
    }

    @Test
    void servesTheSecondOfTwoUploadsWithANewETag() throws Exception {
        start(null, null);
        assertThat(put(1, "model.bin", version(1)).statusCode()).isEqualTo(201);
        String first = get(1, "model.bin").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> second = put(1, "model.bin", version(2));
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo("{\"message\":\"201 Created\"}");
        HttpResponse<byte[]> now = get(1, "model.bin");
        assertThat(now.body()).isEqualTo(version(2));
        assertThat(now.headers().firstValue("ETag")).contains("\"" + Sha256.hash(version(2)).hex() + "\"").isNotEqualTo(first);
    }

    @Test
    void givesEveryReaderOneWholeVersionWhileTheFileIsReplaced() throws Exception {
        start(null, null);
        assertThat(put(1, "model.bin", version(0)).statusCode()).isEqualTo(201);
        Set<String> versions = new HashSet<>();
        for (int i = 0; i <= 12; i++) {
            versions.add(Sha256.hash(version(i)).hex());
        }
        AtomicBoolean uploading = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                results.add(readers.submit(() -> {
                    int reads = 0;
                    while (uploading.get() || reads == 0) {
                        HttpResponse<byte[]> got = get(1, "model.bin");
                        assertThat(got.statusCode()).isEqualTo(200);
                        String sha = Sha256.hash(got.body()).hex();
                        assertThat(versions).contains(sha);
                        assertThat(got.headers().firstValue("ETag")).as("the validators of the bytes sent")
                                .contains("\"" + sha + "\"");
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int i = 1; i <= 12; i++) {
                assertThat(put(1, "model.bin", version(i)).statusCode()).isEqualTo(201);
            }
            uploading.set(false);
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isGreaterThanOrEqualTo(8);
        } finally {
            readers.shutdownNow();
        }
        assertThat(get(1, "model.bin").body()).isEqualTo(version(12));
    }

    @Test
    void storesTheWholeOfOneOfFourParallelUploads() throws Exception {
        start(null, null);
        List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            puts.add(client.sendAsync(HttpRequest.newBuilder(uri(1, "race.bin")).header("PRIVATE-TOKEN", TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(version(i))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> p : puts) {
            assertThat(p.get().statusCode()).isEqualTo(201);
        }
        byte[] result = get(1, "race.bin").body();
        assertThat(List.of(version(1), version(2), version(3), version(4))).anySatisfy(v -> assertThat(result).isEqualTo(v));
    }

    @Test
    void refusesToReplaceWhenConfiguredWriteOnceAndHonoursAProjectsOwnPolicy() throws Exception {
        start("refuse", "replace");
        assertThat(put(1, "model.bin", version(1)).statusCode()).isEqualTo(201);
        HttpResponse<String> again = put(1, "model.bin", version(2));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("{\"message\":\"409 Conflict - File already exists\"}");
        assertThat(get(1, "model.bin").body()).isEqualTo(version(1));
        assertThat(put(2, "model.bin", version(1)).statusCode()).isEqualTo(201);
        assertThat(put(2, "model.bin", version(2)).statusCode()).isEqualTo(201);
        assertThat(get(2, "model.bin").body()).isEqualTo(version(2));
    }
}
