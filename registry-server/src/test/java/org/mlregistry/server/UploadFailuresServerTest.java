package org.mlregistry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.model.Sha256;

/**
 * Every way an upload can fail that a client or an operator's file layout causes, against the bundled
 * server in its own process: each is a clear JSON answer, never a 500, and the server's log (at its
 * default level) stays free of them: no warning, no stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadFailuresServerTest {

    private static final String TOKEN = "glpat-uploader";
    private static final String ROUTE = "/api/v4/projects/1/packages/ml_models/1/files/";

    Path dir;
    Path data;
    ServerProcess server;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        dir = temp;
        data = Files.createDirectories(dir.resolve("data/1/1"));
        Files.writeString(data.resolve("solid.bin"), "a file");
        Files.createDirectories(data.resolve("folder"));
        Files.createSymbolicLink(data.resolve("loop"), data.resolve("loop"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0");
        Files.createSymbolicLink(data.resolve("etclink"), outside);
        Path config = Files.writeString(dir.resolve("registry.json"), """
                {
                  "storage": { "type": "filesystem", "root": "data", "createRoot": true }, "catalog": { "type": "none" },
                  "maxFileSizeBytes": 1000000,
                  "projects": [ { "id": 1, "path": "grp/proj", "visibility": "private", "members": { "dev": "developer" } } ],
                  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "%s", "scopes": ["api"] } ]
                }
                """.formatted(Sha256.ofSecret(TOKEN).hex()));
        server = ServerProcess.start(config, dir.resolve("server.log"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /** Sends {@code head} and {@code body}, optionally half-closes, and returns the whole answer. */
    private String exchange(String head, byte[] body, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(answer);
            } catch (SocketException e) {
                // reset after the answer was read: what was read is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String put(String file, String... headers) {
        StringBuilder h = new StringBuilder("PUT " + ROUTE + file + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "PRIVATE-TOKEN: " + TOKEN + "\r\n");
        for (String header : headers) {
            h.append(header).append("\r\n");
        }
        return h.append("\r\n").toString();
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private void assertCleanLog() throws IOException {
        assertThat(server.log()).doesNotContain("WARN").doesNotContain("ERROR").doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-3", "FFFFFFFFFFFFFFFFFFFF", "1x"})
    void answersBadChunkSizesWith400(String size) throws Exception {
        String answer = exchange(put("chunked.bin", "Transfer-Encoding: chunked"),
                ("5\r\nhello\r\n" + size + "\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), false);
        assertThat(status(answer)).isEqualTo(400);
        assertThat(body(answer)).startsWith("{\"message\":\"400 ");
        assertThat(data.resolve("chunked.bin")).doesNotExist();
        assertCleanLog();
    }

    @Test
    void answersBareLineFeedChunkFramingWith400() throws Exception {
        String answer = exchange(put("lf.bin", "Transfer-Encoding: chunked"),
                "5\nhello\n0\n\n".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(status(answer)).isEqualTo(400);
        assertThat(body(answer)).startsWith("{\"message\":\"400 ");
        assertThat(data.resolve("lf.bin")).doesNotExist();
        assertCleanLog();
    }

    @Test
    void answersABodyShorterThanItsLengthThenAHalfCloseWith400() throws Exception {
        String answer = exchange(put("short.bin", "Content-Length: 1000"), new byte[10], true);
        assertThat(status(answer)).isEqualTo(400);
        assertThat(body(answer)).startsWith("{\"message\":\"400 ");
        assertThat(data.resolve("short.bin")).doesNotExist();
        assertCleanLog();
    }

    @Test
    void staysQuietWhenClientsLeaveMidUpload() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(put("left-" + i + ".bin", "Content-Length: 100000").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[5000]);
                s.setSoLinger(true, 0); // reset, as a killed client does
            }
        }
        assertThat(exchange(put("after.bin", "Content-Length: 2"), new byte[2], false)).startsWith("HTTP/1.1 201");
        try (var names = Files.list(data)) {
            assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("left-"));
        }
        assertCleanLog();
    }

    @Test
    void answersAFileDirectoryClashEitherWayWith409() throws Exception {
        String through = exchange(put("solid.bin/x.bin", "Content-Length: 1"), new byte[1], false);
        assertThat(status(through)).isEqualTo(409);
        assertThat(body(through)).isEqualTo("{\"message\":\"409 Conflict - 'solid.bin' is a file, not a directory\"}");
        String onto = exchange(put("folder", "Content-Length: 1"), new byte[1], false);
        assertThat(status(onto)).isEqualTo(409);
        assertThat(body(onto)).isEqualTo("{\"message\":\"409 Conflict - 'folder' is a directory, not a file\"}");
        assertCleanLog();
    }

    @Test
    void answersALinkLoopWith404OnReadsAnd409OnUploads() throws Exception {
        String read = exchange("GET " + ROUTE + "loop HTTP/1.1\r\nHost: x\r\nConnection: close\r\nPRIVATE-TOKEN: " + TOKEN + "\r\n\r\n",
                new byte[0], false);
        assertThat(status(read)).isEqualTo(404);
        assertThat(status(exchange(put("loop/x.bin", "Content-Length: 1"), new byte[1], false))).isEqualTo(409);
        assertCleanLog();
    }

    @Test
    void answersPathsTooLongWith414AndCreatesNothing() throws Exception {
        String names = ("n".repeat(255) + "/").repeat(16) + "x.bin";
        String answer = exchange(put(names, "Content-Length: 1"), new byte[1], false);
        assertThat(status(answer)).isEqualTo(414);
        assertThat(body(answer)).startsWith("{\"message\":\"414 Request-URI Too Long");
        assertThat(data.resolve("n".repeat(255))).doesNotExist();
        String read = exchange("GET " + ROUTE + names + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nPRIVATE-TOKEN: " + TOKEN
                + "\r\n\r\n", new byte[0], false);
        assertThat(status(read)).isEqualTo(404);
        assertCleanLog();
    }

    @Test
    void answersTheSameThroughALinkLeadingOutsideWhateverExistsThere() throws Exception {
        String existing = exchange(put("etclink/passwd", "Content-Length: 1"), new byte[1], false);
        String missing = exchange(put("etclink/nope", "Content-Length: 1"), new byte[1], false);
        assertThat(status(existing)).isEqualTo(409);
        assertThat(body(existing)).isEqualTo(body(missing));
        assertThat(dir.resolve("outside/passwd")).hasContent("root:x:0:0");
        assertThat(dir.resolve("outside/nope")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"401", "413"})
    void refusesAnExpectContinueUploadWithoutAskingForTheBody(String expected) throws Exception {
        String credential = expected.equals("401") ? "PRIVATE-TOKEN: glpat-wrong" : "PRIVATE-TOKEN: " + TOKEN;
        String head = "PUT " + ROUTE + "expect.bin HTTP/1.1\r\nHost: x\r\n" + credential + "\r\n"
                + "Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            // not one byte of the body is sent: the answer must come anyway, and must not be 100 Continue
            InputStream in = s.getInputStream();
            byte[] first = in.readNBytes(12);
            assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 " + expected);
        }
        assertThat(data.resolve("expect.bin")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // outside /api/v4 is the web interface's, which answers its own pages
        "PUT /api/v4/elsewhere HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
        "PUT /api/v4/projects/1/packages/ml_models/1/files/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        "PUT /api/v4/%%%/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
    })
    void answersErrorsJettyProducesForAPutAsJson(String request) throws Exception {
        String answer = exchange(request, new byte[0], false);
        assertThat(status(answer)).isBetween(400, 499);
        assertThat(body(answer)).startsWith("{\"message\":\"" + status(answer) + " ");
    }
}
