package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * SIGTERM as a service manager sends it, to the server as a separate process: running downloads finish within the
 * drain time and are logged, new connections are refused, and the process exits 0; past the drain time, or at a
 * second SIGTERM, what still runs is cut off and its access log line says {@code aborted=true}.
 */
class GracefulStopTest {

    private static final String TOKEN = "glpat-graceful-stop-test";
    private static final int SIZE = 48 << 20;

    @TempDir
    Path dir;

    private ServerProcess start(int drainSeconds) throws Exception {
        Path files = Files.createDirectories(dir.resolve("data/1/1"));
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Files.write(files.resolve("big.bin"), content);
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" }, "catalog": { "type": "none" }, "drainSeconds": %d,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(drainSeconds, Sha256.ofSecret(TOKEN).hex()));
        return ServerProcess.start(config, dir.resolve("server.log"));
    }

    /** A download read at about {@code bytesPerSecond}, through a small receive buffer; the bytes it got in the end. */
    private static CompletableFuture<Long> slowDownload(ServerProcess server, int bytesPerSecond) throws IOException {
        URI api = URI.create(server.baseUrl());
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v4/projects/1/packages/ml_models/1/files/big.bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + TOKEN
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return CompletableFuture.supplyAsync(() -> {
            long total = 0;
            byte[] chunk = new byte[16 * 1024];
            long started = System.nanoTime();
            try (socket; InputStream in = socket.getInputStream()) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    total += n;
                    long due = started + total * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (IOException e) {
                // cut off: what arrived counts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return total;
        });
    }

    private static void awaitBytes(CompletableFuture<Long> download) throws InterruptedException {
        Thread.sleep(500); // the answer has started by then
        assertThat(download).isNotDone();
    }

    @Test
    void aRunningDownloadFinishesWithinTheDrainTimeAndTheProcessExitsZero() throws Exception {
        ServerProcess server = start(60);
        try (server) {
            CompletableFuture<Long> download = slowDownload(server, 16 << 20); // about 3 s
            awaitBytes(download);
            server.signal("TERM");
            Thread.sleep(300);
            assertThat(refused(server)).isTrue();
            assertThat(download.get(60, TimeUnit.SECONDS)).isGreaterThan((long) SIZE); // the body and its headers
            assertThat(server.waitFor(30)).isZero();
            assertThat(server.log()).contains("route=/projects/:id/packages/ml_models/:model_version_id/files/*path",
                    "status=200 bytes=" + SIZE).doesNotContain("aborted=true").contains("every request finished");
        }
    }

    @Test
    void theDrainTimeCutsADownloadAndTheLogSaysAborted() throws Exception {
        ServerProcess server = start(1);
        try (server) {
            CompletableFuture<Long> download = slowDownload(server, 1 << 20); // about 48 s
            awaitBytes(download);
            long before = System.nanoTime();
            server.signal("TERM");
            assertThat(server.waitFor(30)).isZero();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before)).isLessThan(15);
            assertThat(download.get(30, TimeUnit.SECONDS)).isLessThan(SIZE);
            assertThat(server.log()).contains("status=200", "aborted=true", "requests still running after");
        }
    }

    @Test
    void aSecondSigtermCutsWhatStillRuns() throws Exception {
        ServerProcess server = start(600);
        try (server) {
            CompletableFuture<Long> download = slowDownload(server, 1 << 20);
            awaitBytes(download);
            server.signal("TERM");
            Thread.sleep(1_000);
            assertThat(server.alive()).isTrue();
            server.signal("TERM");
            assertThat(server.waitFor(30)).isZero();
            assertThat(download.get(30, TimeUnit.SECONDS)).isLessThan(SIZE);
            assertThat(server.log()).contains("SIGTERM again", "aborted=true");
        }
    }

    /** Whether a new connection gets no answer: refused, or closed without a response. */
    private static boolean refused(ServerProcess server) {
        URI api = URI.create(server.baseUrl());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(api.getHost(), api.getPort()), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.isEmpty() || answer.startsWith("HTTP/1.1 503");
        } catch (IOException e) {
            return true;
        }
    }
}
