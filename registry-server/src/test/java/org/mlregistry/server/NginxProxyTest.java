package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/**
 * The nginx block of {@code docs/operate.md}, exactly as written there, in front of the bundled server, with Debian's nginx (which
 * {@code .ci/run} installs; the test is skipped where there is none): a project path with {@code %2F} reaches the
 * registry, an upload far above nginx's default 1 MiB limit streams through without a temporary file, the registry's
 * errors arrive as its JSON, and nginx's own 502, when the registry is down, is JSON too.
 */
class NginxProxyTest {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String TOKEN = "glpat-nginx-proxy-test";
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** The first nginx block of the operator's guide's section on proxies. */
    private static String readmeBlock() throws Exception {
        String readme = Files.readString(Path.of("../docs/operate.md"));
        int section = readme.indexOf("### Behind nginx");
        assertThat(section).as("the guide's proxy section").isPositive();
        Matcher m = Pattern.compile("```nginx\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find(section)).isTrue();
        return m.group(1);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process nginx(int listen, int upstream) throws Exception {
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(prefix.resolve("body"));
        String conf = """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  server {
                    listen 127.0.0.1:%2$d;
                %3$s
                  }
                }
                """.formatted(prefix, listen, readmeBlock().replace("127.0.0.1:8080", "127.0.0.1:" + upstream));
        Path file = Files.writeString(prefix.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", file.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("out.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", listen), 1_000);
                return p;
            } catch (java.io.IOException notYet) {
                assertThat(p.isAlive()).as(() -> read(prefix.resolve("out.log")) + read(prefix.resolve("error.log"))).isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen: " + read(prefix.resolve("error.log")));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void theReadmeBlockKeepsPathsBodiesAndErrorsIntact() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed");
        Files.createDirectories(dir.resolve("data/1/1"));
        Files.writeString(dir.resolve("data/1/1/model.bin"), "weights");
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data" }, "catalog": { "type": "none" }, "forwardedHeaders": true,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        int port = freePort();
        ServerProcess server = ServerProcess.start(config, dir.resolve("server.log"));
        Process nginx = nginx(port, server.port());
        try {
            String api = "http://127.0.0.1:" + port + "/api/v4/projects/grp%2Fproj/packages/ml_models/1/files/";
            // a client's own forwarding headers do not survive the proxy: the log names the proxy's view of the client
            HttpResponse<String> forged = client.send(HttpRequest.newBuilder(URI.create(api + "model.bin")).header("PRIVATE-TOKEN", TOKEN)
                    .header("X-Forwarded-For", "10.9.9.9").header("Forwarded", "for=10.8.8.8").header("X-Forwarded-Host", "evil.example")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(200);
            HttpResponse<String> encoded = get(api + "model.bin");
            assertThat(encoded.statusCode()).isEqualTo(200);
            assertThat(encoded.body()).isEqualTo("weights");

            byte[] big = new byte[24 << 20];
            new Random(3).nextBytes(big);
            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create(api + "big.bin")).header("PRIVATE-TOKEN", TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            assertThat(Files.readAllBytes(dir.resolve("data/1/1/big.bin"))).isEqualTo(big);
            try (var bodies = Files.list(dir.resolve("nginx/body"))) {
                assertThat(bodies).as("nothing buffered to disk").isEmpty();
            }

            HttpResponse<String> missing = get(api + "nothing.bin");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(missing.body()).isEqualTo("{\"message\":\"404 Not Found\"}");
            assertThat(server.awaitLog("status=201", "status=404")).contains("client=127.0.0.1").contains("status=201").doesNotContain("10.9.9.9")
                    .doesNotContain("10.8.8.8");

            server.close();
            HttpResponse<String> down = get(api + "model.bin");
            assertThat(down.statusCode()).isEqualTo(502);
            assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(down.body()).isEqualTo("{\"message\":\"502 Bad Gateway\"}");
        } finally {
            server.close();
            nginx.destroy();
            nginx.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
