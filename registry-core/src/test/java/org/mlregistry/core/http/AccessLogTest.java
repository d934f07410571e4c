package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's three formats, line by line: every field an operator asked for (the authorized project's id, the
 * validated path, user, token kind, agent, {@code aborted}), values quoted so that no path, user name or agent can
 * start a line of its own or a field of its own, and the agent cut at its limit.
 */
class AccessLogTest {

    private static final RouteInfo FILE = new RouteInfo("/projects/:id/packages/ml_models/:model_version_id/files/*path",
            "grp%2Fproj", "7");

    private static AccessLog.Entry entry(String path, String user, String agent, boolean aborted) {
        return new AccessLog.Entry("GET", FILE, 200, 14, 3_400_000, "203.0.113.7", user, "access_token", 5L, path, agent, aborted);
    }

    private static List<String> lines(AccessLog.Format format, AccessLog.Entry entry) {
        List<String> lines = new ArrayList<>();
        new AccessLog(lines::add, format, Clock.fixed(Instant.parse("2026-12-02T05:07:41Z"), ZoneOffset.UTC)).log(entry);
        return lines;
    }

    @Test
    void logfmtNamesTheAuthorizedProjectThePathTheUserAndTheAgent() {
        assertThat(lines(AccessLog.Format.LOGFMT, entry("weights/model.bin", "dev", "curl/8.5.0", false))).containsExactly(
                "method=GET route=/projects/:id/packages/ml_models/:model_version_id/files/*path project=5 version=7"
                        + " path=weights/model.bin status=200 bytes=14 duration_ms=3 client=203.0.113.7 user=dev kind=access_token"
                        + " agent=curl/8.5.0");
    }

    @Test
    void quotesValuesThatCouldBreakALineOrAField() {
        String line = lines(AccessLog.Format.LOGFMT, entry("my dir/a \"b\".bin", "ana maria", "evil\nmethod=DELETE x=\\", true)).get(0);
        assertThat(line).contains(" path=\"my dir/a \\\"b\\\".bin\" ", " user=\"ana maria\" ",
                " agent=\"evil\\u000amethod=DELETE x=\\\\\" aborted=true").doesNotContain("\n");
    }

    @Test
    void cutsTheAgentAndLeavesOutWhatIsUnknown() {
        String agent = "a".repeat(500);
        String line = lines(AccessLog.Format.LOGFMT, new AccessLog.Entry("PUT", FILE, 401, 0, 0, "::1", "", "", null, null, agent, false))
                .get(0);
        assertThat(line).isEqualTo("method=PUT route=/projects/:id/packages/ml_models/:model_version_id/files/*path project=grp%2Fproj"
                + " version=7 status=401 bytes=0 duration_ms=0 client=::1 agent=" + "a".repeat(AccessLog.MAX_AGENT));
    }

    @Test
    void jsonIsOneObjectPerLine() throws Exception {
        String line = lines(AccessLog.Format.JSON, entry("a b.bin", "dev", "huggingface_hub/0.36", true)).get(0);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json).isEqualTo(new ObjectMapper().readTree("""
                {"method":"GET","route":"/projects/:id/packages/ml_models/:model_version_id/files/*path","project":"5","version":"7",
                 "path":"a b.bin","status":200,"bytes":14,"duration_ms":3,"client":"203.0.113.7","user":"dev","kind":"access_token",
                 "agent":"huggingface_hub/0.36","aborted":true}
                """));
    }

    @Test
    void combinedIsApachesFormatWithTheRouteAsTheRequest() {
        assertThat(lines(AccessLog.Format.COMBINED, entry("x.bin", "dev", "curl/8.5.0", false))).containsExactly(
                "203.0.113.7 - dev [02/Dec/2026:05:07:41 +0000] \"GET /projects/:id/packages/ml_models/:model_version_id/files/*path"
                        + " HTTP/1.1\" 200 14 \"-\" \"curl/8.5.0\"");
    }

    @Test
    void theClientIsAnAddressOrNothing() {
        for (String[] c : new String[][] {{"glpat-leakedtoken", "-"}, {"[2001:db8::1]", "2001:db8::1"}, {"203.0.113.7", "203.0.113.7"},
            {"evil.example", "-"}, {"\u0661\u0662.0.0.1", "-"}}) {
            String line = lines(AccessLog.Format.LOGFMT, new AccessLog.Entry("GET", FILE, 200, 0, 0, c[0], "", "", null, null, null, false))
                    .get(0);
            assertThat(line).as(c[0]).endsWith(" client=" + c[1]);
        }
    }

    @Test
    void combinedKeepsAUserWithASpaceInOneField() {
        assertThat(lines(AccessLog.Format.COMBINED, entry("x.bin", "ana maria", "a\u2028b", false)).get(0))
                .startsWith("203.0.113.7 - ana\\x20maria [").endsWith("\"a\\u2028b\"");
    }

    @Test
    void appendsToAFileOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "earlier line\n");
        AccessLog log = AccessLog.toFile(file, AccessLog.Format.LOGFMT);
        log.log(entry("one.bin", "dev", "curl/8.5.0", false));
        log.log(entry("two.bin", "dev", "curl/8.5.0", false));
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("earlier line");
        assertThat(lines.get(1)).contains("path=one.bin");
        assertThat(lines.get(2)).contains("path=two.bin");
    }
}
