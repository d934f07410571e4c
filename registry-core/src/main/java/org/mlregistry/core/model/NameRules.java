package org.mlregistry.core.model;

import java.text.Normalizer;

/**
 * What makes a name given by a client one that cannot be confused with another: it is stored in Unicode
 * normalization form C (so {@code é} typed as one character or as {@code e} and a combining accent is one name),
 * and it holds no character a reader cannot see or that reorders what they see: no control or format characters
 * (zero-width spaces and joiners, bidirectional overrides and isolates, the byte-order mark, soft hyphens), no line
 * or paragraph separators, and no half of a surrogate pair. Text that is read rather than compared (descriptions,
 * tag values) need only be well-formed: {@link #wellFormed}.
 */
public final class NameRules {

    private NameRules() {
    }

    /**
     * {@code value} in normalization form C.
     *
     * @throws IllegalArgumentException naming {@code what} when it holds a character the rules above refuse
     */
    public static String normalize(String value, String what) {
        String nfc = Normalizer.isNormalized(value, Normalizer.Form.NFC) ? value : Normalizer.normalize(value, Normalizer.Form.NFC);
        for (int i = 0; i < nfc.length(); ) {
            int c = nfc.codePointAt(i);
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                     Character.PARAGRAPH_SEPARATOR -> throw new IllegalArgumentException(what
                        + " must not contain control, format (zero-width, bidirectional) or unpaired surrogate characters"
                        + " (found U+" + String.format("%04X", c) + " at character " + (i + 1) + ")");
                default -> i += Character.charCount(c);
            }
        }
        return nfc;
    }

    /**
     * {@code value} when it is well-formed UTF-16 (every surrogate paired), which free text must be to be stored
     * and sent as UTF-8.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static String wellFormed(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " must not contain an unpaired surrogate (at character " + (i + 1) + ")");
            }
        }
        return value;
    }
}
