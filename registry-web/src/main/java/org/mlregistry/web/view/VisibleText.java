package org.mlregistry.web.view;

import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text from users as the pages show it: a character that is invisible or changes how the text around it is ordered
 * (bidirectional overrides and isolates, zero-width spaces and joiners, other format and control characters) is shown
 * as its code point, {@code [U+202E]}, so a name, a tag or a file name cannot hide part of itself or pass for another.
 * Names are refused such characters when they are made; descriptions, tags, parameters and older data are not, so every
 * value a template writes goes through {@link Output}, and every text of a Markdown card through {@link #of}.
 */
public final class VisibleText {

    private VisibleText() {
    }

    /** {@code text} with each hidden character replaced by its code point; the same string when it has none. */
    public static String of(String text) {
        int i = 0;
        while (i < text.length() && !hidden(text.codePointAt(i))) {
            i += Character.charCount(text.codePointAt(i));
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (hidden(c)) {
                out.append("[U+").append(String.format(Locale.ROOT, "%04X", c)).append(']');
            } else {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static boolean hidden(int c) {
        if (c == '\n' || c == '\r' || c == '\t') {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.FORMAT, Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800; // blank-looking letters
        };
    }

    /**
     * jte's OWASP output, escaping each value for its HTML context, that first shows the value's hidden characters:
     * everywhere but in what a form sends back (a {@code <textarea>}, an input's {@code value}), where they are kept as
     * they are, so that editing a description does not write the markers into it. Content blocks (a page's body inside
     * its layout) are written through this same output.
     */
    public static final class Output extends OwaspHtmlTemplateOutput {
        private @Nullable String tag;
        private @Nullable String attribute;

        /** Writes to {@code out}. */
        public Output(TemplateOutput out) {
            super(out);
        }

        @Override
        public void setContext(String tagName, @Nullable String attributeName) {
            super.setContext(tagName, attributeName);
            this.tag = tagName;
            this.attribute = attributeName;
        }

        @Override
        public void writeUserContent(@Nullable String value) {
            boolean sentBack = "textarea".equals(tag) || "value".equals(attribute);
            super.writeUserContent(value == null || sentBack ? value : of(value)); // jte writes nothing for null
        }
    }
}
