package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.Sha256;

/** Smoke tests of the runnable server: demo mode, a real configuration, start-up errors. */
class RegistryServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void demoPrintsACurlCommandThatDownloadsTheDemoFile() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RegistryServer server = RegistryServer.start(ServerOptions.parse(List.of("--demo", "--port", "0")),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Path folder;
        try {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(out.lines().findFirst().orElseThrow()).matches("Listening on http://127\\.0\\.0\\.1:\\d+/api/v4");
            Matcher curl = Pattern.compile("curl --header \"([^:]+): ([^\"]+)\" \"([^\"]+)\" --output (\\S+)").matcher(out);
            assertThat(curl.find()).as(out).isTrue();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(curl.group(3)))
                    .header(curl.group(1), curl.group(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("demo model weights from mlregistry\n");
            assertThat(curl.group(4)).isEqualTo("model.bin");
            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(curl.group(3))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(404);
            // the Hugging Face lines name an endpoint and a repository id that resolve the demo file
            Matcher hub = Pattern.compile("export HF_ENDPOINT=(\\S+)\n\\s*export HF_TOKEN=(\\S+)\n.*hf_hub_download\\(\"([^\"]+)\", \"([^\"]+)\"\\)")
                    .matcher(out);
            assertThat(hub.find()).as(out).isTrue();
            HttpResponse<String> resolved = client.send(HttpRequest.newBuilder(URI.create(hub.group(1) + "/" + hub.group(3)
                    + "/resolve/main/" + hub.group(4))).header("Authorization", "Bearer " + hub.group(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(resolved.statusCode()).isEqualTo(200);
            assertThat(resolved.body()).isEqualTo("demo model weights from mlregistry\n");
            folder = Path.of(out.replaceAll("(?s).*stored in (\\S+)\n.*", "$1"));
            assertThat(folder).isDirectory();
        } finally {
            server.stop();
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void servesAConfiguredStorageRootRelativeToTheConfigFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data/101/7"));
        Files.writeString(dir.resolve("data/101/7/model.onnx"), "onnx bytes");
        Path config = dir.resolve("registry.json");
        Files.writeString(config, """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true }, "catalog": { "type": "none" },
                  "projects": [ { "id": 101, "path": "grp/sub/priv", "visibility": "private",
                                  "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["read_api"] } ]
                }
                """.formatted(Sha256.ofSecret("glpat-config").hex()));
        RegistryServer server = RegistryServer.start(ServerOptions.parse(List.of("--config", config.toString(), "--port", "0")),
                new PrintStream(OutputStream.nullOutputStream()));
        try {
            URI uri = URI.create(server.baseUrl() + "/projects/grp%2Fsub%2Fpriv/packages/ml_models/7/files/model.onnx");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("PRIVATE-TOKEN", "glpat-config").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("onnx bytes");
            int port = URI.create(server.baseUrl()).getPort();
            String bad = raw(port, "GET /api/v4/projects/101/packages/ml_models/7/files/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(bad).startsWith("HTTP/1.1 400").endsWith("{\"message\":\"400 Bad Request\"}");
            // outside the API is the web interface's: its 404 page
            String outside = raw(port, "GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(outside).startsWith("HTTP/1.1 404").contains("Content-Type: text/html;charset=utf-8").contains("404 Not Found");
        } finally {
            server.stop();
        }
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void exitsWithCode2AndNamesTheFieldForABadConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"storage\":{\"type\":\"filesystem\",\"root\":\"d\"},"
                + "\"tokens\":[{\"kind\":\"personal\",\"user\":\"u\",\"sha256\":\"nothex\",\"scopes\":[\"api\"]}]}");
        Process p = runMain("--config", config.toString(), "--port", "0");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("tokens[0].sha256");
    }

    @Test
    void exitsWithCode2AndNamesTheFieldWhenTheStorageRootIsAFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data"), "not a directory");
        Path config = Files.writeString(dir.resolve("registry.json"), "{\"storage\":{\"type\":\"filesystem\",\"root\":\"data\"}}");
        Process p = runMain("--config", config.toString(), "--port", "0");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("storage.root").contains("not a directory").doesNotContain("Exception");
    }

    @Test
    void exitsWithCode2ForABadCommandLine() throws Exception {
        Process p = runMain("--port", "http");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("--port").contains("usage:");
    }

    private static Process runMain(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RegistryServer.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
