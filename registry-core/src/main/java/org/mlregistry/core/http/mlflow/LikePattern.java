package org.mlregistry.core.http.mlflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SQL {@code LIKE} pattern ({@code %} any run of characters, {@code _} exactly one, no escape character, as
 * MLflow's search filters use it), matched in time linear in the text: never a regular expression, whose
 * backtracking a pattern such as {@code %%%...%x} makes exponential. The pattern is cut at its {@code %}s into
 * parts; the first must match at the start, the last at the end, and each one between at its leftmost place after
 * the one before (taking the leftmost place never loses a match, since a {@code %} follows it). A part is found by
 * the shift-and algorithm, one bit per pattern character, so each text character costs one step per 64 pattern
 * characters. Characters are Unicode code points; {@code ILIKE} compares them case-folded.
 *
 * <p>Threading: immutable.
 */
final class LikePattern {

    private static final int ANY = -1;

    /** Without {@code %}: the text is this part, exactly. Else the part at the start (possibly empty). */
    private final Part prefix;
    /** The part at the end (possibly empty); unused when {@link #exact}. */
    private final Part suffix;
    /** The non-empty parts between, in order. */
    private final List<Part> middle;
    private final boolean exact;
    private final boolean ignoreCase;
    private final int minLength;
    /** One run of the pattern between {@code %}s: code points, {@link #ANY} for {@code _}. */
    private static final class Part {
        final int[] chars;
        final int words;
        final long[] anyMask;
        final Map<Integer, long[]> masks = new HashMap<>();

        Part(int[] chars) {
            this.chars = chars;
            this.words = Math.max(1, (chars.length + 63) / 64);
            this.anyMask = new long[words];
            for (int i = 0; i < chars.length; i++) {
                long[] mask = chars[i] == ANY ? anyMask : masks.computeIfAbsent(chars[i], c -> new long[words]);
                mask[i / 64] |= 1L << (i % 64);
            }
        }

        boolean matchesAt(int[] text, int at) {
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] != ANY && chars[i] != text[at + i]) {
                    return false;
                }
            }
            return true;
        }

        /** The leftmost start in {@code [from, to - length]} where this part matches, or -1. */
        int find(int[] text, int from, int to) {
            int k = chars.length;
            if (k == 0) {
                return from;
            }
            long[] state = new long[words];
            long[] none = new long[words];
            int top = (k - 1) / 64;
            long found = 1L << ((k - 1) % 64);
            for (int i = from; i < to; i++) {
                long[] mask = masks.getOrDefault(text[i], none);
                long carry = 1; // a match may start at every position
                for (int w = 0; w < words; w++) {
                    long next = state[w] >>> 63;
                    state[w] = ((state[w] << 1) | carry) & (mask[w] | anyMask[w]);
                    carry = next;
                }
                if ((state[top] & found) != 0) {
                    return i - k + 1;
                }
            }
            return -1;
        }
    }

    private LikePattern(Part prefix, Part suffix, List<Part> middle, boolean exact, boolean ignoreCase) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.middle = middle;
        this.exact = exact;
        this.ignoreCase = ignoreCase;
        this.minLength = prefix.chars.length + (exact ? 0 : suffix.chars.length + middle.stream().mapToInt(p -> p.chars.length).sum());
    }

    /** Matches nothing: a pattern that needs more characters than any text it is compared with has. */
    private static final LikePattern NEVER = new LikePattern(new Part(new int[0]), new Part(new int[0]), List.of(), true, false);

    /**
     * Compiles {@code pattern}; with {@code ignoreCase} ({@code ILIKE}) letters match in either case. The texts it
     * will be compared with are at most {@code maxTextLength} code points: a pattern needing more never matches, and
     * is not compiled (its tables would grow with the square of its length).
     */
    static LikePattern compile(String pattern, boolean ignoreCase, int maxTextLength) {
        long needed = pattern.codePoints().filter(c -> c != '%').count();
        if (needed > maxTextLength) {
            return NEVER;
        }
        List<Part> parts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        pattern.codePoints().forEach(c -> {
            if (c == '%') {
                parts.add(part(current));
                current.clear();
            } else {
                current.add(c == '_' ? ANY : ignoreCase ? fold(c) : c);
            }
        });
        parts.add(part(current));
        if (parts.size() == 1) {
            return new LikePattern(parts.get(0), parts.get(0), List.of(), true, ignoreCase);
        }
        // "a%%b%c": parts "a", "", "b", "c"; an empty one between only says that any run may stand there
        List<Part> middle = parts.subList(1, parts.size() - 1).stream().filter(p -> p.chars.length > 0).toList();
        return new LikePattern(parts.get(0), parts.get(parts.size() - 1), middle, false, ignoreCase);
    }

    private static Part part(List<Integer> chars) {
        return new Part(chars.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Whether the whole of {@code text} matches. */
    boolean matches(String text) {
        if (this == NEVER) {
            return false;
        }
        int[] t = ignoreCase ? text.codePoints().map(LikePattern::fold).toArray() : text.codePoints().toArray();
        if (exact) {
            return t.length == prefix.chars.length && prefix.matchesAt(t, 0);
        }
        if (t.length < minLength || !prefix.matchesAt(t, 0)) {
            return false;
        }
        int end = t.length - suffix.chars.length;
        if (!suffix.matchesAt(t, end)) {
            return false;
        }
        int from = prefix.chars.length;
        for (Part p : middle) {
            int at = p.find(t, from, end);
            if (at < 0) {
                return false;
            }
            from = at + p.chars.length;
        }
        return true;
    }
}
