package org.mlregistry.web.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTextTest {

    @Test
    void showsHiddenAndReorderingCharactersAsTheirCodePoints() {
        assertThat(VisibleText.of("invoice\u202Efdp.exe")).isEqualTo("invoice[U+202E]fdp.exe");
        assertThat(VisibleText.of("zero\u200Bwidth\u200Djoin\uFEFF")).isEqualTo("zero[U+200B]width[U+200D]join[U+FEFF]");
        assertThat(VisibleText.of("bell\u0007 and \u3164 filler")).isEqualTo("bell[U+0007] and [U+3164] filler");
    }

    @Test
    void leavesOrdinaryTextAloneTheSameString() {
        String text = "line one\nline\ttwo, ünïcödé, 日本語, emoji \uD83D\uDE80";
        assertThat(VisibleText.of(text)).isSameAs(text);
    }
}
