package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Issue 22's M1 through the bundled server: 12 trials of four 17 MB uploads running while their model (or, every
 * other trial, their version) is deleted. Every delete answers 200, every upload 201 or 404, and once they are done
 * nothing of the deleted version is left on disk: neither its directory nor temp files nor digest sidecars. On
 * 59a609b every upload answered 201 and its file stayed, and about one delete in twelve answered 500.
 */
class DeleteDuringUploadServerTest {

    private static final String TOKEN = "glpat-deletes";
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;
    RegistryServer server;
    URI base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        base = URI.create(server.baseUrl() + "/projects/1/");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> mlflow(String method, String op, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve("ml/mlflow/api/2.0/mlflow/" + op)).header("PRIVATE-TOKEN", TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** 17 MB whose second megabyte waits for {@code release}; {@code started} counts down when the first is sent. */
    private static InputStream body(CountDownLatch started, CountDownLatch release) {
        return new InputStream() {
            long sent;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent >= 17L * MB) {
                    return -1;
                }
                if (sent >= MB) {
                    started.countDown();
                    try {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = (int) Math.min(len, 17L * MB - sent);
                sent += n;
                return n;
            }
        };
    }

    @Test
    void uploadsRunningWhileTheirModelOrVersionIsDeletedLeaveNothing() throws Exception {
        int deletes = 0;
        int refused = 0;
        int stored = 0;
        for (int trial = 0; trial < 12; trial++) {
            String model = "m" + trial;
            assertThat(mlflow("POST", "registered-models/create", "{\"name\": \"" + model + "\"}").statusCode()).isEqualTo(200);
            HttpResponse<String> created = mlflow("POST", "model-versions/create", "{\"name\": \"" + model + "\"}");
            long version = Long.parseLong(created.body().replaceAll(".*\"version\":\"(\\d+)\".*", "$1"));
            CountDownLatch started = new CountDownLatch(4);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "part-" + i + ".bin";
                // Expect: 100-continue, so that a body counted as started is one the server asked for: without it, an
                // upload the server reached only after the deletion was refused before its body was read, and the
                // client, still sending, could lose that 404 to the connection's reset (seen once under load)
                uploads.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("packages/ml_models/" + version + "/files/" + name))
                        .header("PRIVATE-TOKEN", TOKEN).timeout(Duration.ofSeconds(60)).expectContinue(true)
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                () -> body(started, release)), 17L * MB)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).as("every upload under way").isTrue();
            HttpResponse<String> delete = trial % 2 == 0
                    ? mlflow("DELETE", "registered-models/delete", "{\"name\": \"" + model + "\"}")
                    : mlflow("DELETE", "model-versions/delete", "{\"name\": \"" + model + "\", \"version\": \"" + version + "\"}");
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
            deletes++;
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> u : uploads) {
                int status = u.get(60, TimeUnit.SECONDS).statusCode();
                assertThat(status).isIn(201, 404);
                refused += status == 404 ? 1 : 0;
                stored += status == 201 ? 1 : 0;
            }
            assertThat(dir.resolve("data/1/" + version)).as("trial %d: the deleted version's directory", trial).doesNotExist();
            assertThat(dir.resolve("data/.mlregistry/digests/1/" + version)).doesNotExist();
        }
        try (Stream<Path> left = Files.walk(dir.resolve("data/.mlregistry/uploads"))) {
            assertThat(left.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).toList())
                    .as("no temp file or deleted tree left").isEmpty();
        }
        System.out.printf("%d deletes during 4 uploads each: %d uploads refused (404), %d answered 201 before the delete%n",
                deletes, refused, stored);
    }
}
