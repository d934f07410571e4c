package org.mlregistry.core.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the registry keeps earlier revisions of versions' manifests, which old Hugging Face commit ids resolve to:
 * {@code all} (the default, as GitLab and the Hub keep theirs), {@code none}, or a number of days ({@code 30d}),
 * counted from when a revision was superseded.
 *
 * @param days how many days, or empty for all
 */
public record HistoryKeep(Optional<Duration> days) {

    /** Everything is kept. */
    public static final HistoryKeep ALL = new HistoryKeep(Optional.empty());
    /** Only the current revision of each manifest. */
    public static final HistoryKeep NONE = new HistoryKeep(Optional.of(Duration.ZERO));
    private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,4})d");

    public HistoryKeep {
        days.ifPresent(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a history cannot be kept for a negative time");
            }
        });
    }

    /**
     * {@code all}, {@code none} or {@code <days>d} (1 to 99999).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static HistoryKeep parse(String text) {
        if (text.equals("all")) {
            return ALL;
        }
        if (text.equals("none")) {
            return NONE;
        }
        Matcher m = DAYS.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be \"all\", \"none\" or a number of days such as \"30d\"");
        }
        return new HistoryKeep(Optional.of(Duration.ofDays(Long.parseLong(m.group(1)))));
    }

    @Override
    public String toString() {
        return days.map(d -> d.isZero() ? "none" : d.toDays() + "d").orElse("all");
    }
}
