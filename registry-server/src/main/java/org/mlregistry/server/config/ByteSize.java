package org.mlregistry.server.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A size in a configuration: a whole number of bytes, or a string with a unit, {@code "10GiB"} (binary: KiB, MiB,
 * GiB, TiB) or {@code "500MB"} (decimal: kB, MB, GB, TB), a fraction allowed when the result is whole bytes
 * ({@code "1.5GiB"}). Units are read without regard to case; the input is at most 32 characters.
 */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19}(?:\\.\\d{1,6})?) ?([A-Za-z]{0,3})");
    private static final Map<String, Long> UNITS = Map.of("", 1L, "b", 1L,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40);

    private ByteSize() {
    }

    /** The number of bytes {@code text} names, or {@code null} when it is not a size. */
    static @Nullable Long parse(String text) {
        if (text.length() > 32) {
            return null;
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            return null;
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) { // a fraction of a byte, or more than a long holds
            return null;
        }
    }
}
