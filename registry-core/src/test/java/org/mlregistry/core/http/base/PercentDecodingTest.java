package org.mlregistry.core.http.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentDecodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain        | plain",
        "a%2Fb        | a/b",
        "a%2fb        | a/b",
        "%252F        | %2F",
        "a+b          | a+b",
        "%C3%A9       | \u00e9",
        "%20x%20      | ' x '",
    })
    void decodesExactlyOnce(String raw, String decoded) {
        assertThat(PercentDecoding.decode(raw)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "a%zz", "%G0", "%C3", "%FF%FE"})
    void refusesMalformedEscapesAndInvalidUtf8(String raw) {
        assertThatThrownBy(() -> PercentDecoding.decode(raw)).isInstanceOf(IllegalArgumentException.class);
    }
}
