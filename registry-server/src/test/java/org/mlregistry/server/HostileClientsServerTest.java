package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * Issue 22's high findings against the bundled server (H2 catalog, a public project), each at the size and
 * through real sockets: 230 anonymous MLflow requests of every method trickling their bodies, with and without
 * {@code Expect: 100-continue}; 230 connections pipelining JSON requests with bodies and never reading; 50 searches
 * with pathological {@code LIKE} patterns. Meanwhile a normal client's {@code GET} is answered (its time printed),
 * and once the hostile clients have written what they write, no thread of the pool is at work and the pool's threads
 * use next to no CPU. The old code fails each: the trickling and pipelining clients held every thread (the normal
 * {@code GET} timed out), the patterns kept threads spinning after their clients had left.
 */
class HostileClientsServerTest {

    private static final String TOKEN = "glpat-hostile";
    private static final String MLFLOW = "/api/v4/projects/1/ml/mlflow/api/2.0/mlflow/";
    private static final String FILE = "/api/v4/projects/1/packages/ml_models/1/files/page.bin";
    private static final int CLIENTS = 230;

    @TempDir
    Path dir;
    RegistryServer server;
    URI base;
    final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServer() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "public", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = TestServers.start(config);
        base = URI.create(server.baseUrl()).resolve("/");
        assertThat(mlflow("registered-models/create", "{\"name\": \"m\"}")).isEqualTo(200);
        assertThat(mlflow("model-versions/create", "{\"name\": \"m\"}")).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(mlflow("registered-models/create", "{\"name\": \"" + "a".repeat(40) + i + "\"}")).isEqualTo(200);
        }
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(base.resolve(FILE)).header("PRIVATE-TOKEN", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[60_000])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        trickle.shutdownNow();
        closeAll();
        if (server != null) {
            server.stop();
        }
    }

    private int mlflow(String op, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(MLFLOW + op)).header("PRIVATE-TOKEN", TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void tricklingMlflowBodiesOfEveryMethodHoldNoThread() throws Exception {
        String[][] kinds = {
            {"DELETE", "registered-models/delete"}, {"PATCH", "registered-models/update"}, {"GET", "registered-models/search"},
            {"POST", "registered-models/create"},
        };
        for (int i = 0; i < CLIENTS; i++) {
            String[] k = kinds[i % kinds.length];
            boolean expect = (i / kinds.length) % 2 == 1;
            Socket s = open();
            s.getOutputStream().write((k[0] + " " + MLFLOW + k[1] + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (expect ? "Expect: 100-continue\r\n" : "") + "Content-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        trickle.scheduleAtFixedRate(() -> sockets.forEach(s -> {
            try {
                s.getOutputStream().write(' ');
            } catch (IOException e) {
                // answered and closed by the server (an anonymous write is refused at once): allowed
            }
        }), 0, 3, TimeUnit.SECONDS);
        long millis = timedGet();
        boolean rest = poolComesToRest();
        System.out.printf("a normal GET beside %d trickling MLflow bodies: %d ms; pool at rest: %s%n", CLIENTS, millis, rest);
        assertThat(rest).as("no thread of the pool is at work for the trickling clients").isTrue();
        trickle.shutdownNow();
        closeAll();
        assertIdleOnceTheyLeave();
    }

    @Test
    void pipelinedJsonRequestsWithBodiesFromNonReadingClientsHoldNoThread() throws Exception {
        byte[] pipelined = ("GET " + MLFLOW + "registered-models/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}").repeat(200).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < CLIENTS; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096); // before connecting, so the window stays small
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            sockets.add(s);
            s.getOutputStream().write(pipelined); // never read
        }
        long millis = timedGet();
        boolean rest = poolComesToRest();
        System.out.printf("a normal GET beside %d non-reading clients pipelining JSON searches: %d ms; pool at rest: %s%n",
                CLIENTS, millis, rest);
        assertThat(rest).as("no thread of the pool is at work while their answers wait in socket buffers").isTrue();
        closeAll();
        assertIdleOnceTheyLeave();
    }

    @Test
    void pathologicalLikePatternsAreMatchedInLinearTimeAndRefusedWhenTooLong() throws Exception {
        String pattern = URLEncoder.encode("name LIKE '" + "%".repeat(30) + "x'", StandardCharsets.UTF_8);
        List<HttpResponse<String>> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            answers.add(client.send(HttpRequest.newBuilder(base.resolve(MLFLOW + "registered-models/search?filter=" + pattern))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        System.out.printf("50 searches with 30-%% LIKE patterns: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"registered_models\":[]}");
        });
        // a pattern that matches: the long names end in a digit
        HttpResponse<String> matching = client.send(HttpRequest.newBuilder(base.resolve(MLFLOW + "registered-models/search?filter="
                + URLEncoder.encode("name LIKE '" + "%a".repeat(20) + "%_3'", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(matching.body()).contains("\"name\":\"" + "a".repeat(40) + "3\"").doesNotContain("a2\"");

        // a 200 KB pattern in a GET body to a project that does not exist: refused before the body is read
        started = System.nanoTime();
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(base.resolve(
                "/api/v4/projects/no%2Fsuch/ml/mlflow/api/2.0/mlflow/registered-models/search"))
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"filter\": \"name LIKE '" + "a".repeat(200_000) + "'\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.printf("a 200 KB pattern to a missing project: %d in %d ms%n", missing.statusCode(),
                (System.nanoTime() - started) / 1_000_000);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\":\"404 Project Not Found\"}");
        // 200,000 underscores to a project that exists: a clear 400, not a 500
        HttpResponse<String> underscores = client.send(HttpRequest.newBuilder(base.resolve(MLFLOW + "registered-models/search"))
                .method("GET", HttpRequest.BodyPublishers.ofString("{\"filter\": \"name LIKE '" + "_".repeat(200_000) + "'\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(underscores.statusCode()).isEqualTo(400);
        assertThat(underscores.body()).contains("INVALID_PARAMETER_VALUE").contains("filter").doesNotContain("____");
        assertIdleOnceTheyLeave();
    }

    @Test
    void aTricklingUploadThatAskedToContinueIsCutOffBelowTheMinimumRate() throws Exception {
        Socket s = open();
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("PUT /api/v4/projects/1/packages/ml_models/1/files/slow.bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: "
                + TOKEN + "\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        java.io.InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100");
        long started = System.nanoTime();
        trickle.scheduleAtFixedRate(() -> {
            try {
                s.getOutputStream().write('x');
            } catch (IOException e) {
                // cut off: what is expected
            }
        }, 0, 3, TimeUnit.SECONDS);
        String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.printf("an authorized upload that asked to continue and trickles: cut off after %d s%n", seconds);
        assertThat(answer).contains("HTTP/1.1 408").contains("minimum data rate");
        assertThat(seconds).isLessThan(org.mlregistry.servlet.BodyRate.GRACE_SECONDS + 10);
        assertThat(poolComesToRest()).isTrue();
        assertThat(dir.resolve("data/1/1/slow.bin")).doesNotExist();
    }

    @Test
    void aReadingClientPipeliningBesideTwoThatDoNotReadIsNotHeldUp() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(mlflow("registered-models/create", "{\"name\": \"model-" + i + "\", \"description\": \"" + "d".repeat(2000)
                    + "\"}")).isEqualTo(200);
        }
        byte[] search = ("GET " + MLFLOW + "registered-models/search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            sockets.add(s);
            for (int r = 0; r < 2000; r++) {
                s.getOutputStream().write(search); // never read: its answers fill the socket's buffers
            }
        }
        long started = System.nanoTime();
        int answers = 0;
        try (Socket reader = new Socket(base.getHost(), base.getPort())) {
            reader.setSoTimeout(20_000);
            for (int r = 0; r < 50; r++) {
                reader.getOutputStream().write(search);
            }
            java.io.InputStream in = reader.getInputStream();
            byte[] buffer = new byte[65536];
            StringBuilder seen = new StringBuilder();
            while (answers < 50) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                answers = (seen.length() - seen.toString().replace("HTTP/1.1 200", "").length()) / "HTTP/1.1 200".length();
            }
        }
        System.out.printf("a reading client pipelining 50 searches beside 2 non-reading ones: %d answers in %d ms%n", answers,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(answers).isEqualTo(50);
        assertThat(poolComesToRest()).as("the non-reading clients hold no thread").isTrue();
    }

    /** A normal client's GET of the public file on a new connection; its time in milliseconds. */
    private long timedGet() throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(FILE)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(60_000);
        return millis;
    }

    /**
     * Waits up to 90 s for no thread of the pool to be at work; whether it came to rest. The pipelining test's 46,000
     * searches take 20 to 30 s of the pool's time on two cores: the wait bounds a thread parked on a client that never
     * reads (it would never come to rest), not the speed of the searches.
     */
    private boolean poolComesToRest() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (server.threadsAtWork() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Once the clients are gone, the pool comes to rest and its threads use next to no CPU: a thread still spinning
     * on one of them would use a whole core.
     */
    private void assertIdleOnceTheyLeave() throws InterruptedException {
        assertThat(poolComesToRest()).as("no thread of the pool at work once the clients left").isTrue();
        long before = poolCpuNanos();
        Thread.sleep(2000);
        long used = poolCpuNanos() - before;
        System.out.printf("the pool's CPU in the 2 s after: %d ms%n", used / 1_000_000);
        assertThat(used).as("CPU the pool used in 2 s").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    }

    private static long poolCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches("mlregistry-\\d+")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private Socket open() throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        sockets.add(s);
        return s;
    }

    private void closeAll() {
        TestServers.closeAll(sockets);
    }
}
