package org.mlregistry.web.route;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Percent-encoding of one path segment, both ways: links the pages build encode each segment of a name or file path,
 * and parsing decodes each segment once. Decoding is strict: a bad escape or bytes that are not UTF-8 are no segment.
 */
public final class PathCoding {

    private static final String UNRESERVED = "-._~";

    private PathCoding() {
    }

    /** {@code segment} decoded, or {@code null} when it has a bad escape or is not UTF-8. */
    public static @Nullable String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment.chars().allMatch(c -> c <= 0x7f) ? segment : null; // as below: a raw path is ASCII
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x7f) {
                return null; // a raw path is ASCII: anything else arrived unencoded and is refused
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code segment} with everything but letters, digits and {@code -._~} percent-encoded as UTF-8 (a {@code /} too). */
    public static String encode(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Each {@code /}-separated segment of {@code path} encoded, the slashes kept: a project or file path in a link. */
    public static String encodePath(String path) {
        return Arrays.stream(path.split("/", -1)).map(PathCoding::encode).collect(Collectors.joining("/"));
    }
}
