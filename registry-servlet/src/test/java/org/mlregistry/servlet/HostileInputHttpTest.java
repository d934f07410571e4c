package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens and headers of any size and content get a 4xx, never a 500, never an echo. */
class HostileInputHttpTest {

    private static final String ROUTE = "/api/v4/projects/5/packages/ml_models/1/files/model.bin";

    @TempDir
    Path root;
    JettyHarness jetty;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("5/1"));
        Files.writeString(root.resolve("5/1/model.bin"), "public weights");
        jetty = JettyHarness.servingFiles(root);
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 1023, 1024, 1025, 4000, 7000, 9000, 20000})
    void refusesUnknownTokensOfAnyLength(int length) throws Exception {
        String token = "t".repeat(length);
        String response = jetty.rawGet(ROUTE, "PRIVATE-TOKEN: " + token);
        assertThat(status(response)).isBetween(400, 499);
        assertThat(response).doesNotContain(token.substring(0, Math.min(40, length)) + "\r\n").doesNotContain("Exception");
    }

    @Test
    void refusesTokensWithNonAsciiBytes() throws Exception {
        String response = jetty.rawGet(ROUTE, "PRIVATE-TOKEN: glpat-\u00e9\u00ff\u0080abc", "Authorization: Bearer \u00ff\u00fe");
        assertThat(status(response)).isBetween(400, 499);
    }

    @Test
    void refusesRepeatedConflictingAuthorizationHeaders() throws Exception {
        String response = jetty.rawGet(ROUTE, "Authorization: Bearer a", "Authorization: Bearer b");
        assertThat(status(response)).isEqualTo(400);
        assertThat(response).doesNotContain("Bearer a").doesNotContain("Bearer b");
    }

    @Test
    void refusesTokensInTheQueryString() throws Exception {
        String response = jetty.rawGet(ROUTE + "?private_token=glpat-inquery");
        assertThat(status(response)).isEqualTo(400);
        assertThat(response).doesNotContain("glpat-inquery").contains("query string");
    }

    @Test
    void survivesManyHeaders() throws Exception {
        String[] headers = new String[200];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-Junk-" + i + ": " + "v".repeat(30);
        }
        String response = jetty.rawGet(ROUTE, headers);
        assertThat(status(response)).isIn(200, 431);
    }
}
