package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.testing.InMemoryRequest;

/**
 * Every parser that reads client text, each under arbitrary input: the only way out is the documented
 * refusal ({@link RejectedRequest}, {@link RegistryException}, or for decoding an
 * {@link IllegalArgumentException}); anything else (an index out of bounds, a number format error, an
 * endless loop) is a finding. Results are checked where they have a meaning to check (ranges stay inside
 * the file). In {@code mvn verify} each target replays its inputs under {@code ParserFuzzTestInputs/}; to
 * fuzz one for 5 minutes: {@code JAZZER_FUZZ=1 mvn -pl registry-core test -Dtest='ParserFuzzTest#ranges'}.
 */
class ParserFuzzTest {

    private static final String[] CREDENTIAL_HEADERS = {"Authorization", "PRIVATE-TOKEN", "JOB-TOKEN", "Deploy-Token"};

    @FuzzTest
    void routes(FuzzedDataProvider data) {
        String rawPath = data.consumeRemainingAsString();
        try {
            List<String> segments = RouteParser.segments(rawPath);
            if (segments != null) {
                assertThat(RouteParser.info(segments).template()).isEqualTo(RouteParser.TEMPLATE);
                Route route = RouteParser.parse(segments);
                assertThat(route.file().segments()).allMatch(s -> !s.equals("..") && !s.equals(".") && !s.contains("/"));
            }
        } catch (RejectedRequest | RegistryException expected) {
            // a refusal: what a bad path must get
        }
        MlflowRoute mlflow = MlflowRoute.match(rawPath);
        if (mlflow != null) {
            assertThat(mlflow.info().template()).startsWith("/projects/:id/ml/mlflow");
        }
        HubRoute hub = HubRoute.match(rawPath);
        if (hub != null) {
            assertThat(hub.info().template()).startsWith("/projects/:id/hf");
        }
    }

    @FuzzTest
    void percentDecoding(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        try {
            String decoded = PercentDecoding.decode(raw);
            if (raw.indexOf('%') < 0) {
                assertThat(decoded).isEqualTo(raw);
            }
        } catch (IllegalArgumentException expected) {
            // a malformed escape or invalid UTF-8
        }
    }

    @FuzzTest
    void ranges(FuzzedDataProvider data) {
        long size = data.consumeLong(0, Long.MAX_VALUE / 2);
        RangeRequest r = RangeRequest.parse(data.consumeRemainingAsString(), size);
        if (r.kind() == RangeRequest.Kind.PARTIAL) {
            assertThat(r.ranges()).isNotEmpty().allMatch(b -> b.first() >= 0 && b.first() <= b.last() && b.last() < size);
        }
    }

    @FuzzTest
    void validators(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        assertThat(HttpDates.parse(value)).isNotNull();
        assertThat(EntityTag.parse(value)).isNotNull();
        List<EntityTag> tags = EntityTag.parseList(value);
        if (tags != null) {
            assertThat(tags).doesNotContainNull();
        }
    }

    @FuzzTest
    void credentials(FuzzedDataProvider data) {
        InMemoryRequest request = InMemoryRequest.of("GET", "/projects/1/packages/ml_models/1/files/a"
                + (data.consumeBoolean() ? "?" + data.consumeString(40) : ""));
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            request.header(data.pickValue(CREDENTIAL_HEADERS), data.consumeString(200));
        }
        try {
            Caller caller = CredentialExtractor.extract(request);
            assertThat(caller).isNotNull();
        } catch (RejectedRequest | RegistryException expected) {
            // 400 or 401
        }
    }

    @FuzzTest
    void hubQueries(FuzzedDataProvider data) {
        String query = data.consumeRemainingAsString();
        try {
            HubQuery q = HubQuery.parse(query);
            assertThat(q.limit()).isBetween(1, HubQuery.MAX_LIMIT);
            assertThat(q.cursor()).isNotNegative();
            assertThat(HubQuery.parse(q.withCursor(q.cursor()))).isEqualTo(q);
        } catch (RejectedRequest expected) {
            // a known parameter with a bad value
        }
    }

    @FuzzTest
    void mlflowParams(FuzzedDataProvider data) {
        String query = data.consumeString(60);
        byte[] body = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        try {
            MlflowParams p = MlflowParams.of(query, body);
            p.text("name");
            p.texts("order_by");
            p.tags();
            p.number("max_results", 1, 1, 1000);
        } catch (RejectedRequest | RegistryException expected) {
            // not JSON, not an object, a bad escape, a field of the wrong type
        }
    }

    /**
     * The search filter grammar: parsed, or refused with INVALID_PARAMETER_VALUE; a parsed filter has at most the
     * documented clauses and values. Its committed inputs include the pathological patterns.
     */
    @FuzzTest
    void searchFilters(FuzzedDataProvider data) {
        String filter = data.consumeRemainingAsString();
        try {
            SearchFilter f = SearchFilter.parse(filter);
            assertThat(f.clauses()).hasSizeLessThanOrEqualTo(SearchFilter.MAX_CLAUSES);
            for (SearchFilter.Clause c : f.clauses()) {
                assertThat(c.values()).isNotEmpty().hasSizeLessThanOrEqualTo(SearchFilter.MAX_VALUES);
                if (c.op() == SearchFilter.Op.LIKE || c.op() == SearchFilter.Op.ILIKE) {
                    LikePattern.compile(c.value().text(), c.op() == SearchFilter.Op.ILIKE, 255).matches(filter);
                }
            }
        } catch (RegistryException expected) {
            assertThat(expected.reason()).isEqualTo(org.mlregistry.core.Refusal.INVALID_PARAMETER_VALUE);
        }
    }

    /**
     * LIKE matching against its definition, stated as the textbook dynamic program over pattern and text (quadratic,
     * but independent of the shift-and matcher under test; a regular expression would be the exponential thing this
     * replaces): {@code %} any run, {@code _} one code point, ILIKE comparing case-folded code points.
     */
    @FuzzTest
    void likePatterns(FuzzedDataProvider data) {
        boolean ignoreCase = data.consumeBoolean();
        String pattern = data.consumeString(40);
        String text = data.consumeString(80);
        boolean expected = likeByDefinition(pattern, text, ignoreCase);
        boolean actual = LikePattern.compile(pattern, ignoreCase, Integer.MAX_VALUE).matches(text);
        assertThat(actual).as("%s %s %s", text, ignoreCase ? "ILIKE" : "LIKE", pattern).isEqualTo(expected);
    }

    private static boolean likeByDefinition(String pattern, String text, boolean ignoreCase) {
        int[] p = pattern.codePoints().map(c -> ignoreCase && c != '%' && c != '_' ? fold(c) : c).toArray();
        int[] t = text.codePoints().map(c -> ignoreCase ? fold(c) : c).toArray();
        boolean[][] m = new boolean[p.length + 1][t.length + 1]; // m[i][j]: p[0..i) matches t[0..j)
        m[0][0] = true;
        for (int i = 1; i <= p.length; i++) {
            for (int j = 0; j <= t.length; j++) {
                if (p[i - 1] == '%') {
                    m[i][j] = m[i - 1][j] || (j > 0 && m[i][j - 1]);
                } else {
                    m[i][j] = j > 0 && m[i - 1][j - 1] && (p[i - 1] == '_' || p[i - 1] == t[j - 1]);
                }
            }
        }
        return m[p.length][t.length];
    }

    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    @FuzzTest
    void orderAndPages(FuzzedDataProvider data) {
        List<String> orderBy = new java.util.ArrayList<>();
        int n = data.consumeInt(0, 40);
        for (int i = 0; i < n; i++) {
            orderBy.add(data.consumeString(80));
        }
        try {
            assertThat(SearchOrder.models(orderBy)).isNotNull();
        } catch (RegistryException expected) {
            assertThat(orderBy.size() > SearchOrder.MAX_CLAUSES || !orderBy.isEmpty()).isTrue();
        }
        String token = data.consumeRemainingAsString();
        try {
            int offset = PageToken.offset(token);
            assertThat(offset).isBetween(0, PageToken.MAX_OFFSET);
            String next = PageToken.next(offset, 1000, Integer.MAX_VALUE);
            if (next != null) {
                assertThat(PageToken.offset(next)).isEqualTo(offset + 1000);
            }
        } catch (RegistryException expected) {
            assertThat(expected.reason()).isEqualTo(org.mlregistry.core.Refusal.INVALID_PARAMETER_VALUE);
        }
    }
}
