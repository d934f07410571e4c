package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.TestRegistry;

/**
 * RFC 9110 content semantics, straight through the handler with no container: preconditions in the RFC's
 * order, ranges, validators and digests. One table: request headers in, status and Content-Range out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpSemanticsTest {

    static final String URL = "/api/v4/projects/5/packages/ml_models/1/files/model.bin";
    static final Instant MODIFIED = Instant.parse("2026-03-01T10:00:00Z");
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    InMemoryHttp http;
    InMemoryModelFileStore store;
    byte[] content;
    String sha;

    @BeforeAll
    void start() throws Exception {
        content = new byte[1000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        store = new InMemoryModelFileStore(Clock.fixed(MODIFIED, ZoneOffset.UTC));
        store.put(5, ModelVersionRef.ofVersion(1), FilePath.of("model.bin"), content);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        http = new InMemoryHttp(TestRegistry.of(store));
    }

    /** Replaces ETAG with the file's ETag value (unquoted) and LM with its Last-Modified date. */
    private String expand(String value) {
        return value.replace("ETAG", sha)
                .replace("LM-1", HTTP_DATE.format(MODIFIED.minusSeconds(1)))
                .replace("LM+1", HTTP_DATE.format(MODIFIED.plusSeconds(1)))
                .replace("LM", HTTP_DATE.format(MODIFIED));
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // name                          | method | headers (name: value; ...)                                  | status | Content-Range
        "plain                           | GET  | -                                                            | 200 | -",
        "If-Match current                | GET  | If-Match: \"ETAG\"                                           | 200 | -",
        "If-Match star                   | GET  | If-Match: *                                                  | 200 | -",
        "If-Match list                   | GET  | If-Match: \"x\", \"ETAG\"                                    | 200 | -",
        "If-Match other                  | GET  | If-Match: \"x\"                                              | 412 | -",
        "If-Match weak is not strong     | GET  | If-Match: W/\"ETAG\"                                         | 412 | -",
        "If-Match garbage                | GET  | If-Match: ETAG                                               | 412 | -",
        "If-Match on HEAD                | HEAD | If-Match: \"x\"                                              | 412 | -",
        "IUS equal                       | GET  | If-Unmodified-Since: LM                                      | 200 | -",
        "IUS earlier                     | GET  | If-Unmodified-Since: LM-1                                    | 412 | -",
        "IUS ignored beside If-Match     | GET  | If-Match: \"ETAG\"; If-Unmodified-Since: LM-1                | 200 | -",
        "IUS invalid date ignored        | GET  | If-Unmodified-Since: yesterday                               | 200 | -",
        "INM current                     | GET  | If-None-Match: \"ETAG\"                                      | 304 | -",
        "INM weak compares weakly        | GET  | If-None-Match: W/\"ETAG\"                                    | 304 | -",
        "INM star                        | GET  | If-None-Match: *                                             | 304 | -",
        "INM list                        | HEAD | If-None-Match: \"a\", W/\"ETAG\"                             | 304 | -",
        "INM other                       | GET  | If-None-Match: \"x\"                                         | 200 | -",
        "INM garbage ignored             | GET  | If-None-Match: nonsense                                      | 200 | -",
        "If-Match before INM             | GET  | If-Match: \"x\"; If-None-Match: \"ETAG\"                     | 412 | -",
        "IMS equal                       | GET  | If-Modified-Since: LM                                        | 304 | -",
        "IMS later                       | GET  | If-Modified-Since: LM+1                                      | 304 | -",
        "IMS earlier                     | GET  | If-Modified-Since: LM-1                                      | 200 | -",
        "IMS invalid ignored             | GET  | If-Modified-Since: 2026-03-01                                | 200 | -",
        "IMS RFC 850 form                | GET  | If-Modified-Since: Sunday, 01-Mar-26 10:00:00 GMT            | 304 | -",
        "IMS asctime form                | GET  | If-Modified-Since: Sun Mar  1 10:00:00 2026                  | 304 | -",
        "IMS ignored beside INM          | GET  | If-None-Match: \"x\"; If-Modified-Since: LM+1                | 200 | -",
        "range first bytes               | GET  | Range: bytes=0-99                                            | 206 | bytes 0-99/1000",
        "range open end                  | GET  | Range: bytes=900-                                            | 206 | bytes 900-999/1000",
        "range suffix                    | GET  | Range: bytes=-100                                            | 206 | bytes 900-999/1000",
        "range suffix longer than file   | GET  | Range: bytes=-5000                                           | 206 | bytes 0-999/1000",
        "range clamped                   | GET  | Range: bytes=990-5000                                        | 206 | bytes 990-999/1000",
        "range unit case-insensitive     | GET  | Range: BYTES=0-0                                             | 206 | bytes 0-0/1000",
        "range overlapping coalesced     | GET  | Range: bytes=0-10,5-20,21-30                                 | 206 | bytes 0-30/1000",
        "range past the end              | GET  | Range: bytes=1000-                                           | 416 | bytes */1000",
        "range empty suffix              | GET  | Range: bytes=-0                                              | 416 | bytes */1000",
        "range unknown unit              | GET  | Range: items=0-1                                             | 200 | -",
        "range garbage                   | GET  | Range: bytes=abc                                             | 200 | -",
        "range reversed                  | GET  | Range: bytes=5-1                                             | 200 | -",
        "range on HEAD ignored           | HEAD | Range: bytes=0-99                                            | 200 | -",
        "If-Range current ETag           | GET  | Range: bytes=0-99; If-Range: \"ETAG\"                        | 206 | bytes 0-99/1000",
        "If-Range other ETag             | GET  | Range: bytes=0-99; If-Range: \"x\"                           | 200 | -",
        "If-Range weak ETag              | GET  | Range: bytes=0-99; If-Range: W/\"ETAG\"                      | 200 | -",
        "If-Range exact date             | GET  | Range: bytes=0-99; If-Range: LM                              | 206 | bytes 0-99/1000",
        "If-Range other date             | GET  | Range: bytes=0-99; If-Range: LM+1                            | 200 | -",
        "If-Range garbage                | GET  | Range: bytes=0-99; If-Range: soon                            | 200 | -",
        "304 beats Range                 | GET  | Range: bytes=0-99; If-None-Match: \"ETAG\"                   | 304 | -",
        "412 beats Range                 | GET  | Range: bytes=0-99; If-Match: \"x\"                           | 412 | -",
    })
    void followsRfc9110(String name, String method, String headers, int status, String contentRange) throws Exception {
        InMemoryRequest request = InMemoryRequest.of(method, URL);
        if (headers != null) {
            for (String h : headers.split(";", -1)) {
                int colon = h.indexOf(':');
                request.header(h.substring(0, colon).strip(), expand(h.substring(colon + 1).strip()));
            }
        }
        InMemoryResponse r = http.send(request);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.header("Content-Range").orElse(null)).isEqualTo(contentRange);
        assertThat(r.header("Date")).isPresent();
        if (status == 200 || status == 206 || status == 304) {
            assertThat(r.header("ETag")).contains("\"" + sha + "\"");
            assertThat(r.header("Cache-Control")).contains("max-age=0, private, must-revalidate");
        }
        if (status == 304 || method.equals("HEAD")) {
            assertThat(r.bodyBytes()).isEmpty();
        }
        if (status == 200 || status == 206) {
            assertThat(r.header("Accept-Ranges")).contains("bytes");
            assertThat(r.header("Last-Modified")).contains(HTTP_DATE.format(MODIFIED));
            assertThat(r.header("X-Checksum-Sha256")).contains(sha);
            assertThat(r.header("Repr-Digest"))
                    .contains("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":");
            assertThat(r.header("Content-Disposition")).isPresent();
        }
        if (status == 200 && method.equals("GET")) {
            assertThat(r.bodyBytes()).isEqualTo(content);
        }
        if (status == 206) {
            Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/1000").matcher(contentRange);
            assertThat(m.matches()).isTrue();
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            assertThat(r.bodyBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, first, last + 1));
            assertThat(r.header("Content-Length")).contains("" + (last - first + 1));
        }
        if (status == 412 || status == 416) {
            assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        }
    }

    @Test
    void sendsSeveralRangesAsMultipartByteranges() throws Exception {
        InMemoryResponse r = http.get(URL, "Range", "bytes=0-9,500-509,-5");
        assertThat(r.statusCode()).isEqualTo(206);
        String type = r.header("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        String body = r.bodyText();
        assertThat(r.header("Content-Length")).contains(Integer.toString(body.length()));
        List<String> parts = new ArrayList<>(List.of(body.split("\r\n--" + boundary, -1)));
        assertThat(parts.get(0)).startsWith("--" + boundary + "\r\n");
        assertThat(parts.remove(parts.size() - 1)).isEqualTo("--\r\n");
        assertThat(parts).hasSize(3);
        String text = new String(content, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(parts.get(0)).endsWith("Content-Type: application/octet-stream\r\nContent-Range: bytes 0-9/1000\r\n\r\n" + text.substring(0, 10));
        assertThat(parts.get(1)).endsWith("Content-Range: bytes 500-509/1000\r\n\r\n" + text.substring(500, 510));
        assertThat(parts.get(2)).endsWith("Content-Range: bytes 995-999/1000\r\n\r\n" + text.substring(995));
    }

    @Test
    void answersTooManyRangesWithTheWholeFile() throws Exception {
        String many = "bytes=" + IntStream.range(0, 40).mapToObj(i -> (i * 20) + "-" + (i * 20 + 1)).collect(Collectors.joining(","));
        InMemoryResponse r = http.get(URL, "Range", many);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyBytes()).isEqualTo(content);
    }

    @Test
    void neverAnswers500ToGarbageHeaders() throws Exception {
        for (String garbage : List.of("", ",", "bytes=", "bytes=,", "bytes=--", "bytes=1-2-3", "bytes=99999999999999999999-",
                "bytes=-99999999999999999999", "bytes=0-99999999999999999999", "\u00ff\u00fe", "W/", "\"", "*, \"a\"")) {
            for (String header : List.of("Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")) {
                InMemoryResponse response = http.get(URL, header, garbage);
                assertThat(response.statusCode()).as(header + ": " + garbage).isIn(200, 206, 304, 412, 416);
            }
        }
    }

    @Test
    void encodesTheFileNameForContentDisposition() throws Exception {
        store.put(5, ModelVersionRef.ofVersion(2), FilePath.of("my model+v2.bin"), new byte[] {'x'});
        InMemoryResponse r = http.get("/api/v4/projects/5/packages/ml_models/2/files/my%20model+v2.bin");
        assertThat(r.header("Content-Disposition"))
                .contains("attachment; filename=\"my model+v2.bin\"; filename*=UTF-8''my%20model+v2.bin");
    }
}
