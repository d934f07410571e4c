package org.mlregistry.core.http.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SQL LIKE as MLflow's filters use it: {@code %} any run, {@code _} one character, no escape; ILIKE ignores case. */
class LikePatternTest {

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' = {2}")
    @CsvSource(delimiter = '|', value = {
        "abc        | abc        | true",
        "abc        | abcd       | false",
        "a%         | abcd       | true",
        "%d         | abcd       | true",
        "%b%        | abcd       | true",
        "%x%        | abcd       | false",
        "a_c        | abc        | true",
        "a_c        | ac         | false",
        "%          | ''         | true",
        "''         | ''         | true",
        "''         | a          | false",
        "a%a        | a          | false",
        "a%a        | aa         | true",
        "%ab%ab%    | abab       | true",
        "%ab%ab%    | aab        | false",
        "%_%_%_     | ab         | false",
        "%_%_%_     | abc        | true",
        "_é_        | aéb        | true",
        "__         | 😀a        | true",
        "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | false",
        "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaax | true",
    })
    void matchesAsSqlLikeDoes(String pattern, String text, boolean expected) {
        assertThat(LikePattern.compile(pattern, false, Integer.MAX_VALUE).matches(text)).isEqualTo(expected);
    }

    @Test
    void findsAPartLongerThanOneMachineWordAmongNearMisses() {
        String part = "a_".repeat(70) + "b"; // 141 characters: three words of state
        String hit = "aX".repeat(200) + "b";
        String miss = "aX".repeat(200) + "ab";
        assertThat(LikePattern.compile("%" + part + "%", false, Integer.MAX_VALUE).matches(hit)).isTrue();
        assertThat(LikePattern.compile("%" + part + "%", false, Integer.MAX_VALUE).matches(miss)).isFalse();
        assertThat(LikePattern.compile("%" + part, false, Integer.MAX_VALUE).matches("zz" + hit)).isTrue();
    }

    @Test
    void aPatternNeedingMoreCharactersThanAnyTextMatchesNothing() {
        StringBuilder distinct = new StringBuilder("%");
        for (int i = 0; i < 16_000; i++) {
            distinct.appendCodePoint(0x4E00 + i); // 16,000 different characters: quadratic tables if compiled
        }
        assertThat(LikePattern.compile(distinct.append('%').toString(), false, 255).matches("\u4e00")).isFalse();
        assertThat(LikePattern.compile("ab", false, 1).matches("ab")).isFalse();
        assertThat(LikePattern.compile("a%", false, 1).matches("a")).isTrue();
        assertThat(LikePattern.compile("%%%", false, 0).matches("")).isTrue();
    }

    @ParameterizedTest(name = "''{1}'' ILIKE ''{0}'' = {2}")
    @CsvSource(delimiter = '|', value = {
        "AB%  | abc  | true",
        "%Ä   | xä   | true",
        "ab   | AC   | false",
    })
    void ignoresCaseForIlike(String pattern, String text, boolean expected) {
        assertThat(LikePattern.compile(pattern, true, Integer.MAX_VALUE).matches(text)).isEqualTo(expected);
        assertThat(LikePattern.compile(pattern, false, Integer.MAX_VALUE).matches(text)).isFalse();
    }
}
