package org.mlregistry.core.http.base;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one percent-encoded path segment exactly once, strictly: every {@code %} must start a valid
 * escape and the bytes must be UTF-8. Unlike {@code URLDecoder} it leaves {@code +} alone (that rule is
 * for form bodies, not paths). Written by hand because the JDK has no strict path-segment decoder.
 */
public final class PercentDecoding {
    private PercentDecoding() {
    }

    /**
     * Decodes one component of a query string: {@code +} is a space, as in a form, then as {@link #decode}, strictly
     * (bytes that are not UTF-8 are refused instead of becoming U+FFFD, as {@code URLDecoder} would make them).
     */
    public static String formComponent(String raw) {
        return decode(raw.replace("+", "%20"));
    }

    /** Decodes {@code raw}; throws {@link IllegalArgumentException} for a malformed escape or invalid UTF-8. */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoding is not UTF-8", e);
        }
    }
}
