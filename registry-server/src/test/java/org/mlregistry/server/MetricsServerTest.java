package org.mlregistry.server;

import org.mlregistry.core.RegistryVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/** {@code /metrics} (Prometheus text, when configured) and {@code /health} on the bundled server. */
class MetricsServerTest {

    private static final String TOKEN = "glpat-metrics";
    private static final String FILE_ROUTE = "/projects/:id/packages/ml_models/:model_version_id/files/*path";
    private static final String API = "/projects/1/ml/mlflow/api/2.0/mlflow/";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    RegistryServer server;

    private void start(boolean metrics) throws Exception {
        start(Boolean.toString(metrics));
    }

    private void start(String metrics) throws Exception {
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
                  "metrics": %s,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(metrics, Sha256.ofSecret(TOKEN).hex()));
        server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> root(String path) throws Exception {
        String origin = server.baseUrl().substring(0, server.baseUrl().length() - RegistryJetty.API_MOUNT.length());
        return client.send(HttpRequest.newBuilder(URI.create(origin + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double sample(String scrape, String name, String labels) {
        String series = labels.isEmpty() ? Pattern.quote(name) : Pattern.quote(name) + "\\{" + Pattern.quote(labels) + ",?\\}";
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + "{" + labels + "} in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countsADownloadByRouteTemplateAndStatusAndItsBytes() throws Exception {
        start(true);
        send("POST", API + "registered-models/create", "{\"name\":\"m\"}".getBytes());
        send("POST", API + "model-versions/create", "{\"name\":\"m\"}".getBytes());
        byte[] small = new byte[4096];
        byte[] large = new byte[300_000]; // past the synchronous limit: written asynchronously
        assertThat(send("PUT", "/projects/1/packages/ml_models/1/files/small.bin", small).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/projects/1/packages/ml_models/1/files/large.bin", large).statusCode()).isEqualTo(201);
        assertThat(send("GET", "/projects/1/packages/ml_models/1/files/small.bin", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/projects/1/packages/ml_models/1/files/large.bin", null).body()).hasSize(large.length);
        assertThat(send("GET", "/projects/1/packages/ml_models/1/files/none.bin", null).statusCode()).isEqualTo(404);

        HttpResponse<String> scrape = root("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String text = scrape.body();
        String get200 = "method=\"GET\",route=\"" + FILE_ROUTE + "\",status=\"200\"";
        assertThat(sample(text, "mlregistry_requests_seconds_count", get200)).isEqualTo(2.0);
        assertThat(sample(text, "mlregistry_requests_seconds_count", "method=\"GET\",route=\"" + FILE_ROUTE + "\",status=\"404\""))
                .isEqualTo(1.0);
        assertThat(sample(text, "mlregistry_requests_seconds_count", "method=\"PUT\",route=\"" + FILE_ROUTE + "\",status=\"201\""))
                .isEqualTo(2.0);
        assertThat(sample(text, "mlregistry_sent_bytes_total", "route=\"" + FILE_ROUTE + "\""))
                .isGreaterThanOrEqualTo(small.length + large.length);
        assertThat(sample(text, "mlregistry_received_bytes_total", "route=\"" + FILE_ROUTE + "\""))
                .isEqualTo(small.length + large.length);
        assertThat(sample(settled(text), "mlregistry_downloads_active", "")).isZero();
        assertThat(sample(text, "mlregistry_uploads_active", "")).isZero();
        assertThat(sample(text, "mlregistry_catalog_calls_seconds_count", "operation=\"createModel\",outcome=\"ok\"")).isEqualTo(1.0);
        assertThat(text).as("no path, query or token reaches a label").doesNotContain("small.bin").doesNotContain(TOKEN);
    }

    @Test
    void countsEveryByteOfLargeAsynchronousDownloadsWholeRangedAndSlowlyRead() throws Exception {
        start(true);
        send("POST", API + "registered-models/create", "{\"name\":\"m\"}".getBytes());
        send("POST", API + "model-versions/create", "{\"name\":\"m\"}".getBytes());
        byte[] large = new byte[24 << 20];
        new java.util.Random(26).nextBytes(large);
        String file = "/projects/1/packages/ml_models/1/files/large.bin";
        assertThat(send("PUT", file, large).statusCode()).isEqualTo(201);
        // the PUT's answer is counted once it is written, which may be after the client has it
        String put201 = "method=\"PUT\",route=\"" + FILE_ROUTE + "\",status=\"201\"";
        String text = root("/metrics").body();
        for (int i = 0; i < 30 && !text.contains("mlregistry_requests_seconds_count{" + put201); i++) {
            Thread.sleep(100);
            text = root("/metrics").body();
        }
        double before = sample(settled(text), "mlregistry_sent_bytes_total", "route=\"" + FILE_ROUTE + "\"");

        long delivered = 0;
        String etag = "";
        for (String range : List.of("", "bytes=1000-", "bytes=-5000000", "bytes=7-7340039")) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + file)).header("Authorization", "Bearer " + TOKEN);
            if (!range.isEmpty()) {
                b.header("Range", range).header("If-Range", etag);
            }
            HttpResponse<java.io.InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(r.statusCode()).isEqualTo(range.isEmpty() ? 200 : 206);
            // read slowly at first, so that the server finds the connection full again and again
            try (java.io.InputStream in = r.body()) {
                byte[] chunk = new byte[256 << 10];
                for (int n, i = 0; (n = in.read(chunk)) >= 0; i++) {
                    delivered += n;
                    if (i < 20) {
                        Thread.sleep(10);
                    }
                }
            }
        }
        assertThat(delivered).isEqualTo(large.length + (large.length - 1000L) + 5_000_000L + 7_340_033L);

        Thread.sleep(PrometheusServlet.CACHE.toMillis() + 100); // past the scrape the server keeps for a second
        double after = sample(settled(root("/metrics").body()), "mlregistry_sent_bytes_total", "route=\"" + FILE_ROUTE + "\"");
        assertThat((long) (after - before)).as("every byte delivered, and no more").isEqualTo(delivered);
    }

    /** The last asynchronous write ends just after the client has its last byte: scrape until it has. */
    private String settled(String scrape) throws Exception {
        String text = scrape;
        for (int i = 0; i < 50 && sample(text, "mlregistry_downloads_active", "") != 0; i++) {
            Thread.sleep(100);
            text = root("/metrics").body();
        }
        return text;
    }

    @Test
    void keepsMetricsOnAPortOfTheirOwnForTheTokenOnly() throws Exception {
        start("{ \"port\": 0, \"tokenSha256\": \"" + Sha256.ofSecret("scrape-secret").hex() + "\" }");
        assertThat(root("/metrics").statusCode()).as("not on the API's port").isEqualTo(404);
        URI side = URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics");
        assertThat(client.send(HttpRequest.newBuilder(side).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(side).header("Authorization", "Bearer scrape-secret").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_threads_live_threads");
        HttpResponse<String> api = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort()
                + "/api/v4/projects/1/packages/ml_models/1/files/a.bin")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as("the API is not on the metrics' port").isEqualTo(404);
    }

    @Test
    void answersTraceWith405OnEveryPathWithoutEchoingHeaders() throws Exception {
        start(true);
        for (String path : List.of("/health", "/metrics", "/nowhere", "/api/v4/projects/1/packages/ml_models/1/files/a.bin")) {
            String origin = server.baseUrl().substring(0, server.baseUrl().length() - RegistryJetty.API_MOUNT.length());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + TOKEN)
                    .header("Cookie", "session=secret").method("TRACE", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
            assertThat(r.body()).as(path).isEqualTo("{\"message\":\"405 Method Not Allowed\"}").doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutMetricsConfiguredThereIsNoMetricsEndpoint() throws Exception {
        start(false);

        HttpResponse<String> scrape = root("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(404); // the web interface's page: no meters behind it
        assertThat(scrape.body()).doesNotContain("# HELP").doesNotContain("# TYPE");
    }

    @Test
    void healthIsUnavailableWhileTheStorageRootIsGoneAndRecovers() throws Exception {
        start(false);
        HttpResponse<String> ok = root("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"status\":\"ok\",\"storage\":\"ok\",\"catalog\":\"ok\",\"integrityErrors\":0,\"version\":\""
                + RegistryVersion.current() + "\"}");

        Path data = dir.resolve("data");
        Path moved = Files.move(data, dir.resolve("data-unmounted"));
        HttpResponse<String> down = root("/health");
        Files.move(moved, data);

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"unavailable\",\"storage\":\"unavailable\",\"catalog\":\"ok\","
                + "\"integrityErrors\":0,\"version\":\"" + RegistryVersion.current() + "\"}");
        assertThat(root("/health").statusCode()).as("back once the storage is").isEqualTo(200);
    }
}
