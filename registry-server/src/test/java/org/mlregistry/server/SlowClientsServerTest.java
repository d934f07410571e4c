package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * "A slow client costs a buffer, not a thread": 200 authenticated uploads that trickle a byte every 1.5 s and
 * 200 anonymous connections that pipeline 200 GETs each of a 60 KB file and never read (with a 4 KiB receive
 * window), all at once against the bundled server; a normal client's GET is still answered, and once the server
 * has written what their socket buffers take, no thread of its pool is at work for them. Without the server's
 * eager-content and minimum-data-rate handlers, or with small bodies written on the request thread, the GET
 * times out.
 */
class SlowClientsServerTest {

    private static final String TOKEN = "glpat-slow";
    /** 200 of each in {@code mvn verify}; {@code -Dslow.clients=250} for the heavier run. */
    private static final int CLIENTS = Integer.getInteger("slow.clients", 200);

    @TempDir
    Path dir;
    RegistryServer server;
    final List<Socket> sockets = new ArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        trickle.shutdownNow();
        TestServers.closeAll(sockets);
        if (server != null) {
            server.stop();
        }
    }

    private void startServer() throws Exception {
        Files.createDirectories(dir.resolve("data/1/1"));
        Files.write(dir.resolve("data/1/1/page.bin"), new byte[60_000]);
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "catalog": { "type": "none" },
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "public", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = TestServers.start(config);
    }

    /** Threads of the server's pool that are inside the registry servlet now. */
    private static long threadsInTheServlet() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().matches("mlregistry-\\d+"))
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("org.mlregistry.servlet.")))
                .count();
    }

    @Test
    void tricklingUploadsWaitWithoutAThreadAndAreCutOffBelowTheMinimumRate() throws Exception {
        startServer();
        URI base = URI.create(server.baseUrl());
        List<Socket> uploads = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Socket upload = open(base);
            // the second one frames its body in chunks (a chunk of 1,000,000 bytes that never ends): no Content-Length
            String framing = i == 1 ? "Transfer-Encoding: chunked\r\n\r\nF4240\r\n" : "Content-Length: 1000000\r\n\r\n";
            upload.getOutputStream().write(("PUT /api/v4/projects/1/packages/ml_models/1/files/trickle-" + i + ".bin HTTP/1.1\r\n"
                    + "Host: x\r\nPRIVATE-TOKEN: " + TOKEN + "\r\n" + framing + "abc").getBytes(StandardCharsets.US_ASCII));
            uploads.add(upload);
        }
        trickle.scheduleAtFixedRate(() -> uploads.forEach(s -> {
            try {
                s.getOutputStream().write('x');
            } catch (IOException e) {
                // closed by the server: what is expected in the end
            }
        }), 1000, 1000, TimeUnit.MILLISECONDS);
        Thread.sleep(3000);
        assertThat(threadsInTheServlet()).as("uploads that have sent a few bytes are not on a thread").isZero();
        // below 1 KiB/s after the grace period: answered 408 and closed, the buffer freed
        for (Socket cutOff : uploads.subList(0, 2)) {
            cutOff.setSoTimeout((int) TimeUnit.SECONDS.toMillis(org.mlregistry.servlet.BodyRate.GRACE_SECONDS + 10));
            String answer = new String(cutOff.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 408");
        }
    }

    @Test
    void answersANormalGetWhileSlowUploadersAndNonReadingDownloadersHoldTheirConnections() throws Exception {
        startServer();
        URI base = URI.create(server.baseUrl());
        String file = "/api/v4/projects/1/packages/ml_models/1/files/";

        for (int i = 0; i < CLIENTS; i++) {
            Socket upload = open(base);
            upload.getOutputStream().write(("PUT " + file + "slow-" + i + ".bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + TOKEN
                    + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Socket download = new Socket();
            download.setReceiveBufferSize(4096); // before connecting, so the window stays small
            download.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            sockets.add(download);
            StringBuilder pipelined = new StringBuilder();
            for (int r = 0; r < 200; r++) {
                pipelined.append("GET ").append(file).append("page.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            download.getOutputStream().write(pipelined.toString().getBytes(StandardCharsets.US_ASCII)); // never read
        }
        trickle.scheduleAtFixedRate(() -> sockets.stream().filter(s -> s.getPort() > 0).forEach(s -> {
            try {
                s.getOutputStream().write('x');
            } catch (IOException e) {
                // the server may have closed a trickling upload: that is allowed
            }
        }), 1500, 1500, TimeUnit.MILLISECONDS);
        // first the server writes what the downloaders' socket buffers take (megabytes each), on a JVM that has just
        // started: real work, done a few pipelined requests at a time (PipelinedRequests), so this GET finds a thread
        URI page = base.resolve(file + "page.bin");
        long started = System.nanoTime();
        HttpResponse<byte[]> meanwhile = get(page);
        long meanwhileMillis = (System.nanoTime() - started) / 1_000_000;

        // then every slow client waits for its peer holding a buffer and no thread: the downloaders are still connected
        // (only Jetty's 30 s idle timeout ends a write that cannot progress); an upload may already have been cut off
        long settling = System.nanoTime();
        boolean settled = false;
        while (!settled && System.nanoTime() - settling < TimeUnit.SECONDS.toNanos(30)) {
            Thread.sleep(50);
            settled = server.threadsAtWork() == 0;
        }
        long settledMillis = (System.nanoTime() - settling) / 1_000_000;
        started = System.nanoTime();
        HttpResponse<byte[]> normal = get(page);
        long normalMillis = (System.nanoTime() - started) / 1_000_000;

        long poolThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("mlregistry-\\d+")).count();
        System.out.printf("a normal GET beside %d trickling uploads and %d non-reading downloaders: %d ms while the server filled"
                + " their buffers; %d ms once no thread was at work (%d ms later); server pool threads: %d%n",
                CLIENTS, CLIENTS, meanwhileMillis, normalMillis, settledMillis, poolThreads);
        // they hold buffers, not threads. (How many threads the pool has says little: during the burst above it can
        // grow to its maximum, 200, its acceptor not counted here, and its idle threads are let go only after 60 s.)
        assertThat(settled).as("no thread of the pool is still at work for the slow clients").isTrue();
        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(normal.body()).hasSize(60_000);
    }

    private static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Socket open(URI base) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        sockets.add(s);
        return s;
    }
}
