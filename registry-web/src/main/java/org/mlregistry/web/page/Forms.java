package org.mlregistry.web.page;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fields of a query string or an {@code application/x-www-form-urlencoded} body, bounded: at most {@link #MAX_FIELDS}
 * fields are read, and a field that does not decode is dropped rather than thrown.
 */
final class Forms {

    /** The most fields read from one query or form. */
    static final int MAX_FIELDS = 64;
    /** The largest form body read. */
    static final int MAX_BODY = 64 * 1024;

    private final Map<String, List<String>> fields;

    private Forms(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    static final Forms EMPTY = new Forms(Map.of());

    static Forms parse(@Nullable String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int count = 0;
        for (String pair : encoded.split("&", MAX_FIELDS + 1)) {
            if (++count > MAX_FIELDS) {
                break;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
            if (name != null && value != null && !name.isEmpty()) {
                fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
        }
        return new Forms(fields);
    }

    /** The first value of the field, or "". */
    String get(String name) {
        List<String> values = fields.get(name);
        return values == null ? "" : values.get(0);
    }

    /** Every value of the field, in order. */
    List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    private static @Nullable String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }
}
