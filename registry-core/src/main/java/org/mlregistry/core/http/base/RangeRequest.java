package org.mlregistry.core.http.base;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Range} header read against a file's size (RFC 9110 §14). Anything the RFC lets a server
 * ignore (another unit, bad syntax, more ranges than {@link #MAX_RANGES}) is ignored, which means the
 * whole file; overlapping and adjacent ranges are coalesced so a response never has more parts than
 * needed.
 *
 * @param kind what to answer
 * @param ranges the coalesced ranges, in file order (for {@link Kind#PARTIAL})
 */
record RangeRequest(Kind kind, List<ByteRange> ranges) {

    /** More ranges than this in one request are answered with the whole file. */
    static final int MAX_RANGES = 32;

    enum Kind {
        /** Answer 200 with the whole file. */
        WHOLE,
        /** Answer 416. */
        UNSATISFIABLE,
        /** Answer 206 with {@link #ranges()}. */
        PARTIAL
    }

    private static final RangeRequest WHOLE_FILE = new RangeRequest(Kind.WHOLE, List.of());
    private static final RangeRequest NONE_SATISFIABLE = new RangeRequest(Kind.UNSATISFIABLE, List.of());

    /** No range: the whole file. */
    static RangeRequest whole() {
        return WHOLE_FILE;
    }

    static RangeRequest parse(String header, long size) {
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return WHOLE_FILE;
        }
        String set = header.substring(eq + 1);
        if (set.chars().filter(c -> c == ',').count() >= MAX_RANGES) {
            return WHOLE_FILE; // checked before any parsing: 10,000 ranges cost one scan
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        boolean any = false;
        for (String raw : set.split(",", -1)) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue;
            }
            any = true;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return WHOLE_FILE;
            }
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                if (!digits(b)) {
                    return WHOLE_FILE;
                }
                long suffix = number(b);
                if (suffix > 0 && size > 0) {
                    satisfiable.add(new ByteRange(Math.max(0, size - suffix), size - 1));
                }
                continue;
            }
            if (!digits(a) || !(b.isEmpty() || digits(b))) {
                return WHOLE_FILE;
            }
            long first = number(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
            if (last < first) {
                return WHOLE_FILE; // invalid range-spec: the header is ignored
            }
            if (first < size) {
                satisfiable.add(new ByteRange(first, Math.min(last, size - 1)));
            }
        }
        if (!any) {
            return WHOLE_FILE;
        }
        if (satisfiable.isEmpty()) {
            return NONE_SATISFIABLE;
        }
        return new RangeRequest(Kind.PARTIAL, coalesce(satisfiable));
    }

    private static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> out = new ArrayList<>();
        ByteRange current = sorted.get(0);
        for (ByteRange next : sorted.subList(1, sorted.size())) {
            if (next.first() <= current.last() + 1) {
                current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
            } else {
                out.add(current);
                current = next;
            }
        }
        out.add(current);
        return List.copyOf(out);
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A digit string's value; numbers beyond {@code long} are as good as infinite here. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
