package org.mlregistry.core.http.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.RegisteredModel;

/**
 * The MLflow API's parsers under arbitrary client text: routes, parameters, search filters, {@code LIKE} patterns,
 * orderings and page tokens. The only way out is the documented refusal; what they return is checked by a property
 * (an ordering is a total order, a page token round-trips, {@code LIKE} agrees with its definition). In
 * {@code mvn verify} each target replays its inputs under {@code MlflowFuzzTestInputs/}; to fuzz one for 5 minutes:
 * {@code JAZZER_FUZZ=1 mvn -pl registry-core test -Dtest='MlflowFuzzTest#searchFilters'}.
 */
class MlflowFuzzTest {

    private static final List<RegisteredModel> SAMPLE = List.of(
            model(1, "alpha", 5, 9), model(2, "Beta", 5, 7), model(3, "beta", 1, 9), model(4, "gamma", 3, 3));

    @FuzzTest
    void routes(FuzzedDataProvider data) {
        MlflowRoute mlflow = MlflowRoute.match(data.consumeRemainingAsString());
        if (mlflow != null) {
            assertThat(mlflow.info().template()).startsWith("/projects/:id/ml/mlflow");
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
            assertThat(p.tags()).hasSizeLessThanOrEqualTo(org.mlregistry.core.model.Tag.MAX_PER_ENTITY);
            assertThat(p.number("max_results", 1, 1, 1000)).isBetween(1, 1000);
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
            assertThat(expected.reason()).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
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

    /**
     * An {@code order_by} is refused, or orders models totally (reflexive, antisymmetric, transitive on a sample with
     * ties in every key), so a page is the same page every time; a page token round-trips to its offset.
     */
    @FuzzTest
    void orderAndPages(FuzzedDataProvider data) {
        List<String> orderBy = new ArrayList<>();
        int n = data.consumeInt(0, 40);
        for (int i = 0; i < n; i++) {
            orderBy.add(data.consumeString(80));
        }
        try {
            Comparator<RegisteredModel> order = SearchOrder.models(orderBy);
            for (RegisteredModel a : SAMPLE) {
                assertThat(order.compare(a, a)).isZero();
                for (RegisteredModel b : SAMPLE) {
                    assertThat(Integer.signum(order.compare(a, b))).isEqualTo(-Integer.signum(order.compare(b, a)));
                    if (a != b) {
                        assertThat(order.compare(a, b)).as("distinct models never tie").isNotZero();
                    }
                    for (RegisteredModel c : SAMPLE) {
                        if (order.compare(a, b) < 0 && order.compare(b, c) < 0) {
                            assertThat(order.compare(a, c)).isNegative();
                        }
                    }
                }
            }
        } catch (RegistryException expected) {
            assertThat(expected.reason()).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
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
            assertThat(expected.reason()).isEqualTo(Refusal.INVALID_PARAMETER_VALUE);
        }
    }

    private static RegisteredModel model(long id, String name, long created, long updated) {
        return new RegisteredModel(id, 1, new ModelName(name), "", List.of(), "", Instant.ofEpochSecond(created),
                Instant.ofEpochSecond(updated));
    }
}
