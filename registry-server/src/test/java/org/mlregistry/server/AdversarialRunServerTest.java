package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.model.Sha256;

/**
 * The server-level findings of issue 22's adversarial black-box run, each reproduced through real sockets against
 * the bundled server (H2 catalog, a public project, metrics on): uploads that stall after {@code 100 Continue} held
 * the pool (F1); pipelined searches ran for clients that had left (F2); a body in an unknown transfer coding was stored
 * still encoded (F6); HEAD answers refused by Jetty carried a body (F7); an anonymous upload waited for a body it
 * would never read.
 */
class AdversarialRunServerTest {

    private static final String TOKEN = "glpat-adversary";
    private static final String MLFLOW = "/api/v4/projects/1/ml/mlflow/api/2.0/mlflow/";
    private static final String FILES = "/api/v4/projects/1/packages/ml_models/1/files/";

    @TempDir
    Path dir;
    RegistryServer server;
    URI base;
    final List<Socket> sockets = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServer() throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "metrics": true,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "public", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = TestServers.start(config);
        base = URI.create(server.baseUrl()).resolve("/");
        assertThat(mlflow("registered-models/create", "{\"name\": \"m\"}")).isEqualTo(200);
        assertThat(mlflow("model-versions/create", "{\"name\": \"m\"}")).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        TestServers.closeAll(sockets);
        if (server != null) {
            server.stop();
        }
    }

    /**
     * F1: 100 uploads of one developer that ask to continue and then never send their bodies. The first 32 (the
     * per-caller bound) are told to continue and hold a thread each; the rest are refused 429 with {@code Retry-After}
     * before a byte of their bodies is asked for, and a normal download beside them is answered at once. The old server
     * told all 100 to continue and held a thread for each (a health check then waited 10 to 58 s under 400 of them).
     */
    @Test
    void uploadsThatStallAfterContinueAreBoundedPerCaller() throws Exception {
        assertThat(put("small.bin", new byte[1000]).statusCode()).isEqualTo(201);
        int continued = 0;
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            Socket s = open();
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PUT " + FILES + "stall-" + i + ".bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + TOKEN
                    + "\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = headOf(s.getInputStream());
            if (head.startsWith("HTTP/1.1 100")) {
                continued++;
            } else {
                assertThat(head).startsWith("HTTP/1.1 429").contains("Retry-After: 1");
                refused++;
            }
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(base.resolve(FILES + "small.bin"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("100 stalled uploads of one caller: %d told to continue, %d refused 429; a GET beside them: %d ms%n",
                continued, refused, millis);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(continued).isEqualTo(ModelRegistry.DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER);
        assertThat(refused).isEqualTo(100 - continued);
        assertThat(server.threadsAtWork()).as("threads held by the stalled uploads").isLessThanOrEqualTo(continued + 2);
    }

    /**
     * F2: 10 connections pipeline 400 searches each (answers of about 90 KB) and close after a second without reading.
     * The server runs those whose answers fit in the sockets' buffers meanwhile, then drops the rest: from a second
     * after the close on, no search runs. The old one went on running all 4,000 for nobody, for as long as they took
     * (the catalog's {@code listModels} calls count the searches run; the adversarial run saw three minutes of two busy
     * cores).
     */
    @Test
    void pipelinedSearchesOfClientsThatLeftAreDropped() throws Exception {
        String description = "d".repeat(9_000);
        for (int i = 0; i < 120; i++) {
            assertThat(mlflow("registered-models/create", "{\"name\": \"big-" + i + "\", \"description\": \"" + description + "\"}"))
                    .isEqualTo(200);
        }
        double before = listModelsCalls();
        byte[] searches = ("GET " + MLFLOW + "registered-models/search?max_results=10 HTTP/1.1\r\nHost: x\r\n\r\n").repeat(400)
                .getBytes(StandardCharsets.US_ASCII);
        for (int c = 0; c < 10; c++) {
            open().getOutputStream().write(searches);
        }
        Thread.sleep(1000);
        for (Socket s : sockets) {
            s.close();
        }
        Thread.sleep(1000);
        double settled = listModelsCalls();
        Thread.sleep(2000);
        double later = listModelsCalls();
        System.out.printf("pipelined searches of 4000 whose 10 clients left: %.0f run by a second after, %.0f in the 3 s after that%n",
                settled - before, later - settled);
        assertThat(later - settled).as("searches run for clients that had left a second before").isZero();
        assertThat(settled - before).as("searches run, of 4000").isLessThan(4000);
    }

    /** F6: a body in a transfer coding other than chunked is refused 501 before it is read; nothing is stored. */
    @Test
    void aBodyInAnUnknownTransferCodingIsRefused() throws Exception {
        Socket s = open();
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("PUT " + FILES + "coded.bin HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + TOKEN
                + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(headOf(s.getInputStream())).startsWith("HTTP/1.1 501");
        assertThat(dir.resolve("data/1/1/coded.bin")).doesNotExist();
    }

    /**
     * F7: MLflow's GET endpoints answer HEAD as GET, without the body (they answered 404 before). A request Jetty
     * refuses while parsing it (a bad escape, a URI too long) reaches the error handler without its method, so its JSON
     * stays for a GET; the connection is closed right after it, so a HEAD client cannot read the body as a next answer.
     */
    @Test
    void headAnswersHaveNoBodyAndRefusalsOfUnparsedRequestsCloseTheirConnection() throws Exception {
        assertThat(headExchange(MLFLOW + "registered-models/get?name=m", true)).startsWith("HTTP/1.1 200")
                .contains("Content-Type: application/json").endsWith("\r\n\r\n");
        assertThat(put("listed.bin", new byte[10]).statusCode()).isEqualTo(201);
        assertThat(headExchange("/api/v4/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path=1", true))
                .startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
        for (String path : List.of("/api/v4/projects/%zz/packages/ml_models/1/files/a", "/api/v4/projects/1/" + "a".repeat(9000))) {
            String answer = headExchange(path, false); // the server, not the client, ends the connection
            assertThat(answer).matches("(?s)HTTP/1.1 (400|414) .*").contains("Connection: close");
        }
    }

    /** An anonymous upload is refused at once, without waiting for a body it would never read (it waited 10 s, then 408). */
    @Test
    void anAnonymousUploadIsRefusedWithoutWaitingForItsBody() throws Exception {
        Socket s = open();
        s.setSoTimeout(5_000);
        long started = System.nanoTime();
        s.getOutputStream().write(("PUT " + FILES + "anonymous.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(headOf(s.getInputStream())).startsWith("HTTP/1.1 401");
        System.out.printf("an anonymous upload without its body: refused in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private int mlflow(String op, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(MLFLOW + op)).header("PRIVATE-TOKEN", TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> put(String name, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(FILES + name)).header("PRIVATE-TOKEN", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The catalog's listModels calls so far, from /metrics (each search makes one). */
    private double listModelsCalls() throws Exception {
        Thread.sleep(1100); // /metrics is rendered at most once a second
        String metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^mlregistry_catalog_calls_seconds_count\\{[^}]*operation=\"listModels\"[^}]*} (\\S+)$")
                .matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    /** A HEAD request; everything the server sent until it closed the connection (asked to, with {@code close}). */
    private String headExchange(String path, boolean close) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The status line and headers of the next answer. */
    private static String headOf(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        try {
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            head.append("<no answer within the timeout>");
        }
        return head.toString();
    }

    private Socket open() throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        sockets.add(s);
        return s;
    }
}
