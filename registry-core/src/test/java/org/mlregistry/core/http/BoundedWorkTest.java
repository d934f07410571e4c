package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * Issue 22's medium and low findings on the MLflow-compatible API, each as the issue reproduced it: answers bounded
 * whatever the tags, page tokens and orderings a client sends; names that cannot be confused; version ids in ASCII
 * digits; semantic versions unique by precedence; a string wherever a string is expected; TRACE refused.
 */
class BoundedWorkTest {

    /** The documented bounds: an MLflow search page stops at 4 MiB of entries, a parameter body at 1 MiB. */
    private static final int PAGE_BYTES = 4 << 20;
    private static final int MAX_BODY = 1 << 20;

    static final String API = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";
    static final String PUBLIC_API = "/api/v4/projects/5/ml/mlflow/api/2.0/mlflow/";
    static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    static final ObjectMapper JSON = new ObjectMapper();

    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build());
    }

    private InMemoryResponse post(String op, String json) {
        return call("POST", API + op, json);
    }

    private InMemoryResponse call(String method, String path, String json) {
        return http.send(InMemoryRequest.of(method, path).headers(AUTH).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(InMemoryResponse r) throws Exception {
        return JSON.readTree(r.bodyBytes());
    }

    private static void assertInvalid(InMemoryResponse r, String named) throws Exception {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(r).get("message").asText()).contains(named);
    }

    private static String tags(int count, int valueLength) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":\"").append("v".repeat(valueLength))
                    .append("\"}");
        }
        return b.append("]").toString();
    }

    @Nested
    class Tags {
        @Test
        void acceptsOneHundredTagsAndRefusesMoreOrAKeyTwice() throws Exception {
            assertThat(post("registered-models/create", "{\"name\": \"full\", \"tags\": " + tags(100, 10) + "}").statusCode())
                    .isEqualTo(200);
            assertInvalid(post("registered-models/create", "{\"name\": \"over\", \"tags\": " + tags(101, 10) + "}"), "100 tags");
            assertInvalid(post("registered-models/create", "{\"name\": \"twice\", \"tags\": "
                    + "[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"a\",\"value\":\"2\"}]}"), "once");
            post("registered-models/create", "{\"name\": \"m\"}");
            assertInvalid(post("model-versions/create", "{\"name\": \"m\", \"tags\": " + tags(101, 1) + "}"), "100 tags");
        }

        @Test
        void refusesThirtyThreeThousandEmptyTagsAtOnce() throws Exception {
            StringBuilder many = new StringBuilder("[");
            for (int i = 0; i < 33_000; i++) {
                many.append(i == 0 ? "" : ",").append("{\"key\":\"\",\"value\":\"\"}");
            }
            assertInvalid(post("registered-models/create", "{\"name\": \"empty\", \"tags\": " + many + "]}"), "tags");
            assertThat(http.get(API + "registered-models/get?name=empty", AUTH).statusCode()).isEqualTo(404);
        }

        @Test
        void endsASearchPageBeforeItsAnswerGrowsBeyondItsBudgetAndPagesThroughEveryModel() throws Exception {
            for (int i = 0; i < 12; i++) {
                assertThat(post("registered-models/create", "{\"name\": \"big-" + (char) ('a' + i) + "\", \"tags\": "
                        + tags(100, 5000) + "}").statusCode()).isEqualTo(200);
            }
            Set<String> seen = new HashSet<>();
            String token = null;
            int pages = 0;
            do {
                InMemoryResponse page = http.get(API + "registered-models/search?max_results=1000"
                        + (token == null ? "" : "&page_token=" + token), AUTH);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.bodyBytes().length).as("one page").isLessThan(PAGE_BYTES + 600_000);
                JsonNode body = json(page);
                body.get("registered_models").forEach(m -> assertThat(seen.add(m.get("name").asText())).isTrue());
                token = body.has("next_page_token") ? body.get("next_page_token").asText() : null;
                pages++;
            } while (token != null && pages < 20);
            assertThat(seen).hasSize(12);
            assertThat(pages).as("12 models of 500 KB each do not fit one 4 MiB page").isGreaterThan(1);
        }
    }

    @Nested
    class Paging {
        @ParameterizedTest
        @ValueSource(strings = {"offset:2147483647", "offset:99999999999", "offset:-1", "offset:", "offset:1e3", "offset:١"})
        void refusesAPageTokenWithAnOffsetOutOfRangeWithoutOverflowing(String decoded) throws Exception {
            post("registered-models/create", "{\"name\": \"m\"}");
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
            InMemoryResponse r = http.get(API + "registered-models/search?page_token=" + token, AUTH);
            assertInvalid(r, "page_token");
        }

        @Test
        void answersAnOffsetBeyondTheEndWithAnEmptyPage() throws Exception {
            post("registered-models/create", "{\"name\": \"m\"}");
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString("offset:1000000000".getBytes(StandardCharsets.US_ASCII));
            InMemoryResponse r = http.get(API + "registered-models/search?max_results=1000&page_token=" + token, AUTH);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("{\"registered_models\":[]}");
        }

        @Test
        void refusesEightThousandOrderByClausesWithoutRecursing() throws Exception {
            StringBuilder clauses = new StringBuilder("[");
            for (int i = 0; i < 8000; i++) {
                clauses.append(i == 0 ? "" : ",").append("\"name DESC\"");
            }
            InMemoryResponse r = call("GET", API + "registered-models/search", "{\"order_by\": " + clauses + "]}");
            assertInvalid(r, "order_by");
            assertThat(r.bodyText()).doesNotContain("StackOverflow");
        }

        @Test
        void ordersByUpToSixteenClauses() throws Exception {
            post("registered-models/create", "{\"name\": \"b\"}");
            post("registered-models/create", "{\"name\": \"a\"}");
            InMemoryResponse r = call("GET", API + "registered-models/search", "{\"order_by\": [\"name DESC\", \"timestamp ASC\"]}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("registered_models").get(0).get("name").asText()).isEqualTo("b");
        }
    }

    @Nested
    class Filters {
        @BeforeEach
        void models() {
            for (String name : new String[] {"alpha", "beta", "Alpine", "gamma_1"}) {
                post("registered-models/create", "{\"name\": \"" + name + "\"}");
            }
        }

        private String names(String filter) throws Exception {
            InMemoryResponse r = http.get(API + "registered-models/search?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8),
                    AUTH);
            assertThat(r.statusCode()).as(r.bodyText()).isEqualTo(200);
            StringBuilder out = new StringBuilder();
            json(r).get("registered_models").forEach(m -> out.append(out.length() == 0 ? "" : ",").append(m.get("name").asText()));
            return out.toString();
        }

        @Test
        void matchesLikeIlikeEqualsAndNotEqualsJoinedByAnd() throws Exception {
            assertThat(names("name LIKE 'al%'")).isEqualTo("alpha");
            assertThat(names("name ILIKE 'al%'")).isEqualTo("Alpine,alpha");
            assertThat(names("name LIKE '%a_'")).isEqualTo("");
            assertThat(names("name LIKE 'gamma_1'")).isEqualTo("gamma_1");
            assertThat(names("name LIKE '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x'")).isEqualTo("");
            assertThat(names("name ILIKE '%A%' AND name != 'beta'")).isEqualTo("Alpine,alpha,gamma_1");
            assertThat(names("name = \"beta\"")).isEqualTo("beta");
        }

        @ParameterizedTest
        @ValueSource(strings = {"metrics.x = '1'", "tags.x IN ('1')", "name > 'a'", "name = 1", "name LIKE 'a", "name LIKE 'a' OR name = 'b'",
            "name"})
        void refusesWhatItCannotSearchOnNamingTheFilter(String filter) throws Exception {
            assertInvalid(http.get(API + "registered-models/search?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8), AUTH),
                    "filter");
        }

        @Test
        void refusesAFilterOverItsLengthWithoutQuotingIt() throws Exception {
            InMemoryResponse r = call("GET", API + "registered-models/search", "{\"filter\": \"name LIKE '" + "_".repeat(200_000) + "'\"}");
            assertInvalid(r, "filter");
            assertThat(r.bodyText()).doesNotContain("___");
        }
    }

    @Nested
    class Names {
        @Test
        void storesNamesInNormalizationFormCSoThatTwinsAreOneName() throws Exception {
            String composed = "caf\u00e9";
            String decomposed = "cafe\u0301";
            assertThat(post("registered-models/create", "{\"name\": \"" + decomposed + "\"}").statusCode()).isEqualTo(200);
            InMemoryResponse twin = post("registered-models/create", "{\"name\": \"" + composed + "\"}");
            assertThat(twin.statusCode()).isEqualTo(400);
            assertThat(json(twin).get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
            InMemoryResponse got = http.get(API + "registered-models/get?name=" + URLEncoder.encode(decomposed, StandardCharsets.UTF_8),
                    AUTH);
            assertThat(json(got).get("registered_model").get("name").asText()).isEqualTo(composed);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\\u200bb", "a\\u202eb", "a\\u2066b", "\\ufeffab", "a\\u00adb", "a\\ud800b", "a\\udc00", "a\\u2028b"})
        void refusesNamesWithInvisibleReorderingOrBrokenCharacters(String escaped) throws Exception {
            assertInvalid(post("registered-models/create", "{\"name\": \"" + escaped + "\"}"), "name");
            assertInvalid(post("registered-models/create", "{\"name\": \"ok\", \"tags\": [{\"key\": \"" + escaped
                    + "\", \"value\": \"v\"}]}"), "tag");
        }

        @Test
        void refusesAnUnpairedSurrogateInADescriptionOrTagValue() throws Exception {
            assertInvalid(post("registered-models/create", "{\"name\": \"d\", \"description\": \"x\\ud800\"}"), "description");
            assertInvalid(post("registered-models/create", "{\"name\": \"t\", \"tags\": [{\"key\": \"k\", \"value\": \"\\udfff\"}]}"),
                    "tag value");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u0661", "\uff11", "\u0967"})
        void takesOnlyAsciiDigitsAsAVersionId(String digit) throws Exception {
            post("registered-models/create", "{\"name\": \"m\"}");
            assertThat(post("model-versions/create", "{\"name\": \"m\"}").statusCode()).isEqualTo(200);
            InMemoryResponse byId = http.get(API + "model-versions/get?name=m&version=1", AUTH);
            assertThat(byId.statusCode()).isEqualTo(200);
            InMemoryResponse unicode = http.get(API + "model-versions/get?name=m&version=" + URLEncoder.encode(digit, StandardCharsets.UTF_8),
                    AUTH);
            assertThat(unicode.statusCode()).isEqualTo(400);
            assertThat(json(unicode).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        }

        @Test
        void treatsBuildMetadataAsTheSameVersion() throws Exception {
            post("registered-models/create", "{\"name\": \"m\"}");
            assertThat(post("model-versions/create", "{\"name\": \"m\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"1.0.0+a\"}]}")
                    .statusCode()).isEqualTo(200);
            InMemoryResponse second = post("model-versions/create",
                    "{\"name\": \"m\", \"tags\": [{\"key\": \"gitlab.version\", \"value\": \"1.0.0+b\"}]}");
            assertThat(second.statusCode()).isEqualTo(400);
            assertThat(json(second).get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
            InMemoryResponse found = http.get(API + "model-versions/get?name=m&version=1.0.0", AUTH);
            assertThat(json(found).get("model_version").get("aliases").get(0).asText()).isEqualTo("1.0.0+a");
        }
    }

    @Nested
    class Types {
        @ParameterizedTest
        @ValueSource(strings = {"{\"name\": 7}", "{\"name\": true}", "{\"name\": {\"a\": 1}}", "{\"name\": [\"m\"]}",
            "{\"name\": \"m\", \"description\": 5}", "{\"name\": \"m\", \"tags\": [{\"key\": \"k\", \"value\": 1}]}"})
        void takesAStringOnlyWhereAStringIsExpected(String body) throws Exception {
            InMemoryResponse r = post("registered-models/create", body);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        }

        @Test
        void takesMaxResultsAsAJsonNumberOrAString() throws Exception {
            assertThat(call("GET", API + "registered-models/search", "{\"max_results\": 5}").statusCode()).isEqualTo(200);
            assertThat(call("GET", API + "registered-models/search", "{\"max_results\": \"5\"}").statusCode()).isEqualTo(200);
            assertInvalid(call("GET", API + "registered-models/search", "{\"max_results\": 5.5}"), "max_results");
        }
    }

    @Nested
    class Trace {
        @ParameterizedTest
        @ValueSource(strings = {API + "registered-models/get", "/api/v4/projects/5/packages/ml_models/1/files/a.bin",
            "/api/v4/projects/5/hf/api/models/p5/m", "/elsewhere"})
        void answersTrace405WithoutEchoingTheRequest(String path) throws Exception {
            InMemoryResponse r = http.send(InMemoryRequest.of("TRACE", path).headers(AUTH).header("Cookie", "session=secret"));
            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.bodyText()).isEqualTo("{\"message\":\"405 Method Not Allowed\"}").doesNotContain(TestRegistry.TOKEN);
        }
    }

    /** A body that fails the test if anything reads it. */
    private static java.io.InputStream unreadable() {
        return new java.io.InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read before the request was refused");
            }
        };
    }

    @Nested
    class RefusalsFirst {
        @Test
        void refusesAnAnonymousWriteBeforeReadingItsBody() {
            InMemoryRequest request = InMemoryRequest.of("DELETE", API + "registered-models/delete")
                    .streamedBody(unreadable()).header("Content-Length", "100000");
            assertThat(http.send(request).statusCode()).isEqualTo(401); // an anonymous write
            InMemoryRequest write = InMemoryRequest.of("POST", PUBLIC_API + "registered-models/create")
                    .streamedBody(unreadable()).header("Content-Length", "100000");
            assertThat(http.send(write).statusCode()).isEqualTo(401);
        }

        @Test
        void refusesABodyAnnouncedOverTheLimitBeforeReadingIt() throws Exception {
            InMemoryRequest request = InMemoryRequest.of("POST", API + "registered-models/create").headers(AUTH)
                    .streamedBody(unreadable()).header("Content-Length", Long.toString(MAX_BODY + 1L));
            InMemoryResponse r = http.send(request);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(json(r).get("error_code").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        }
    }
}
