package org.mlregistry.core.http.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlregistry.core.RegistryException;

/** MLflow's filter grammar: clauses joined by AND, keys with entities, quoted strings, numbers, IN lists; bounded. */
class SearchFilterTest {

    @Test
    void parsesClausesKeysValuesAndLists() {
        SearchFilter f = SearchFilter.parse("name = 'm' and tags.`a b` != \"v\" AND run_id NOT IN ('x', \"y\") AND "
                + "version_number >= -3.5e2 AND tags.gitlab.version LIKE '1.%'");
        assertThat(f.clauses()).extracting(c -> c.key().toString() + " " + c.op() + " " + c.values()).containsExactly(
                "name EQ [Value[text=m, quoted=true]]",
                "tags.a b NE [Value[text=v, quoted=true]]",
                "run_id NOT_IN [Value[text=x, quoted=true], Value[text=y, quoted=true]]",
                "version_number GE [Value[text=-3.5e2, quoted=false]]",
                "tags.gitlab.version LIKE [Value[text=1.%, quoted=true]]");
        assertThat(SearchFilter.parse("  ")).isEqualTo(SearchFilter.NONE);
        assertThat(SearchFilter.parse(null)).isEqualTo(SearchFilter.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "name =", "name = 'x", "= 'x'", "name = 'x' OR name = 'y'", "name NOT 'x'", "name IN 'x'",
        "name IN ('x'", "name = x", "name = 1x", "name = 'a' AND", "tags. = 'x'", "name == 'x'", "name = ١"})
    void refusesWhatIsNotTheGrammarNamingThePlace(String filter) {
        assertThatThrownBy(() -> SearchFilter.parse(filter)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("'filter'").hasMessageNotContaining(filter.length() > 3 ? filter : "\u0000");
    }

    @Test
    void boundsLengthClausesAndLists() {
        assertThatThrownBy(() -> SearchFilter.parse("name = '" + "x".repeat(SearchFilter.MAX_LENGTH) + "'"))
                .hasMessageContaining("at most " + SearchFilter.MAX_LENGTH);
        String clauses = String.join(" AND ", java.util.Collections.nCopies(SearchFilter.MAX_CLAUSES + 1, "name = 'a'"));
        assertThatThrownBy(() -> SearchFilter.parse(clauses)).hasMessageContaining("at most " + SearchFilter.MAX_CLAUSES);
        String list = String.join(",", java.util.Collections.nCopies(SearchFilter.MAX_VALUES + 1, "'a'"));
        assertThatThrownBy(() -> SearchFilter.parse("run_id IN (" + list + ")")).hasMessageContaining("values");
        assertThat(SearchFilter.parse(String.join(" AND ", java.util.Collections.nCopies(SearchFilter.MAX_CLAUSES, "name = 'a'")))
                .clauses()).hasSize(SearchFilter.MAX_CLAUSES);
        assertThat(SearchFilter.parse("run_id IN (" + String.join(",", java.util.Collections.nCopies(SearchFilter.MAX_VALUES, "'a'"))
                + ")").clauses().get(0).values()).hasSize(SearchFilter.MAX_VALUES);
        assertThat(List.of(SearchFilter.Op.values())).hasSize(10);
    }
}
