package org.mlregistry.core.http.base;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mlregistry.core.util.BoundedCache;

/**
 * HTTP dates (RFC 9110 §5.6.7): written as IMF-fixdate, read in all three forms a recipient must accept
 * (IMF-fixdate, obsolete RFC 850 and asctime).
 */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** Two-digit years read as 1970 to 2069, a fixed pivot instead of a clock. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private HttpDates() {
    }

    /**
     * Formatted dates by epoch second: a file's {@code Last-Modified} is written on every answer for it, and
     * formatting costs more than the lookup. Bounded: cleared when full, since files are few next to answers.
     */
    private static final BoundedCache<Long, String> FORMATTED = new BoundedCache<>(16_384);

    /** IMF-fixdate of {@code instant}, whole seconds. */
    static String format(Instant instant) {
        return FORMATTED.get(instant.getEpochSecond(), second -> IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
    }

    /** The date, or empty when {@code value} is not an HTTP date (then the field is ignored, RFC 9110 §13.1.3). */
    static Optional<Instant> parse(String value) {
        String v = value.strip();
        for (DateTimeFormatter f : List.of(IMF_FIXDATE, RFC_850, ASCTIME)) {
            try {
                if (f == IMF_FIXDATE) {
                    return Optional.of(ZonedDateTime.parse(v, f).toInstant());
                }
                return Optional.of(LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
