package org.mlregistry.core.http.hub;

import org.mlregistry.core.http.base.RejectedRequest;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of a Hugging Face tree listing: {@code recursive} and {@code expand} ({@code true}
 * or {@code false}, as 1.x clients send them, or {@code True} and {@code False}, as 0.x clients do),
 * and the paging pair {@code cursor} (where the page starts) and {@code limit} (at most
 * {@value #MAX_LIMIT} entries, the default). Other parameters are ignored; a known one with a bad value is
 * a 400.
 *
 * @param recursive whether sub-directories are listed to the bottom
 * @param expand whether the client asked for expanded entries (answered with the plain ones)
 * @param cursor the index of the page's first entry
 * @param limit the page size
 */
record HubQuery(boolean recursive, boolean expand, int cursor, int limit) {

    static final int MAX_LIMIT = 1000;

    static HubQuery parse(@Nullable String raw) {
        boolean recursive = false;
        boolean expand = false;
        int cursor = 0;
        int limit = MAX_LIMIT;
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (name) {
                    case "recursive" -> recursive = flag(value, name);
                    case "expand" -> expand = flag(value, name);
                    case "cursor" -> cursor = number(value, name, 0, Integer.MAX_VALUE);
                    case "limit" -> limit = number(value, name, 1, MAX_LIMIT);
                    default -> {
                        // not ours to judge
                    }
                }
            }
        }
        return new HubQuery(recursive, expand, cursor, limit);
    }

    /** This query with the page starting at {@code next}, written from the parsed values only (no client text). */
    String withCursor(int next) {
        return "recursive=" + recursive + "&expand=" + expand + "&limit=" + limit + "&cursor=" + next;
    }

    private static boolean flag(String value, String name) {
        return switch (value) {
            case "true", "True", "1" -> true;
            case "false", "False", "0", "" -> false;
            default -> throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, name + " must be true or false");
        };
    }

    private static int number(String value, String name, int min, int max) {
        // ASCII digits only: Integer.parseInt also takes "+5" and other scripts' digits
        if (!value.isEmpty() && value.length() <= 10 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return (int) n;
            }
        }
        throw new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, name + " must be a number from " + min + " to " + max);
    }
}
