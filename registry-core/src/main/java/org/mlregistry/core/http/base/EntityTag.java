package org.mlregistry.core.http.base;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An entity tag (RFC 9110 §8.8.3) and the two comparisons: strong (both strong, same opaque tag) and
 * weak (same opaque tag).
 *
 * @param tag the opaque tag without quotes
 * @param weak whether it was sent as {@code W/"..."}
 */
record EntityTag(String tag, boolean weak) {

    static EntityTag strong(String tag) {
        return new EntityTag(tag, false);
    }

    /** {@code "tag"} or {@code W/"tag"}. */
    String header() {
        return (weak ? "W/\"" : "\"") + tag + "\"";
    }

    boolean strongMatch(EntityTag other) {
        return !weak && !other.weak && tag.equals(other.tag);
    }

    boolean weakMatch(EntityTag other) {
        return tag.equals(other.tag);
    }

    /**
     * Parses a single entity tag, as in {@code If-Range}.
     *
     * @return the tag, or empty when {@code value} is not one
     */
    static Optional<EntityTag> parse(String value) {
        List<EntityTag> list = parseList(value);
        return list == null || list.size() != 1 ? Optional.empty() : Optional.of(list.get(0));
    }

    /**
     * Parses a comma-separated list of entity tags ({@code If-Match}, {@code If-None-Match}); {@code *} is
     * not handled here.
     *
     * @return the tags, or {@code null} when the list is malformed
     */
    static @Nullable List<EntityTag> parseList(String value) {
        List<EntityTag> tags = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (true) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return tags;
            }
            boolean weak = false;
            if (value.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                return null;
            }
            int end = value.indexOf('"', i + 1);
            if (end < 0) {
                return null;
            }
            String tag = value.substring(i + 1, end);
            for (int k = 0; k < tag.length(); k++) {
                char c = tag.charAt(k);
                if (c < 0x21 || c == 0x7f) { // etagc = %x21 / %x23-7E / obs-text
                    return null;
                }
            }
            tags.add(new EntityTag(tag, weak));
            i = end + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                return null;
            }
        }
    }
}
