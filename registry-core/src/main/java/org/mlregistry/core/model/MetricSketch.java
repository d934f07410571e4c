package org.mlregistry.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A metric's history reduced to what a chart of a given width can show: its steps cut into at most {@code columns}
 * equal spans, and for each span that has points its lowest and highest finite value. A history of any length becomes
 * at most that many columns, and every spike survives. {@link #of} builds one from points in memory; a catalog may
 * build the same in its database.
 *
 * @param key the metric
 * @param points how many points the history has (finite or not)
 * @param firstStep the lowest step, 0 when there is no point
 * @param lastStep the highest step, 0 when there is no point
 * @param columns the spans with finite points, by step
 */
public record MetricSketch(String key, long points, long firstStep, long lastStep, List<Column> columns) {

    /**
     * One span of steps.
     *
     * @param step the lowest step in it that has a finite point
     * @param min its lowest finite value
     * @param max its highest finite value
     */
    public record Column(long step, double min, double max) {
    }

    public MetricSketch {
        Objects.requireNonNull(key, "key");
        columns = List.copyOf(columns);
    }

    /**
     * How many steps one column covers between {@code first} and {@code last}: the least power of two that fits the
     * range into {@code columns} columns. A power of two, so that a history that grows past its range merges whole
     * columns pairwise ({@link #plus}) instead of being cut anew.
     */
    public static long span(long first, long last, int columns) {
        long range = last - first;
        if (range < 0) { // steps further apart than a long holds: such a history is sketched without columns
            return Long.MAX_VALUE;
        }
        long quotient = range / columns;
        if (quotient == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long least = quotient + 1;
        long power = Long.highestOneBit(least);
        return power == least ? least : power > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : power << 1;
    }

    /**
     * The sketch of this sketch's history and {@code more} points, in the same {@code columns} this one was made with:
     * exactly what {@link #of} makes of the whole, without the history. Empty when a new point lies before the first
     * step (the columns' origin would move; the whole must be sketched anew).
     */
    public Optional<MetricSketch> plus(List<Metric> more, int columns) {
        if (more.isEmpty()) {
            return Optional.of(this);
        }
        if (points == 0) {
            return Optional.empty(); // nothing to keep: cheaper to sketch the new points from the start
        }
        long last = lastStep;
        for (Metric m : more) {
            if (m.step() < firstStep) {
                return Optional.empty();
            }
            last = Math.max(last, m.step());
        }
        if (last - firstStep < 0) {
            return Optional.empty();
        }
        long span = span(firstStep, last, columns);
        TreeMap<Long, Column> cut = new TreeMap<>();
        for (Column c : this.columns) { // an old column lies inside one new one: spans are powers of two from one origin
            cut.merge((c.step() - firstStep) / span, c, MetricSketch::merged);
        }
        for (Metric m : more) {
            if (Double.isFinite(m.value())) {
                cut.merge((m.step() - firstStep) / span, new Column(m.step(), m.value(), m.value()), MetricSketch::merged);
            }
        }
        return Optional.of(new MetricSketch(key, points + more.size(), firstStep, last, List.copyOf(cut.values())));
    }

    private static Column merged(Column a, Column b) {
        return new Column(Math.min(a.step(), b.step()), Math.min(a.min(), b.min()), Math.max(a.max(), b.max()));
    }

    /** The sketch of {@code history} (any order) in at most {@code columns} columns. */
    public static MetricSketch of(String key, List<Metric> history, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("at least one column");
        }
        if (history.isEmpty()) {
            return new MetricSketch(key, 0, 0, 0, List.of());
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Metric m : history) {
            first = Math.min(first, m.step());
            last = Math.max(last, m.step());
        }
        if (last - first < 0) {
            return new MetricSketch(key, history.size(), first, last, List.of()); // steps beyond a long's range apart
        }
        long span = span(first, last, columns);
        Column[] cut = new Column[columns];
        for (Metric m : history) {
            if (!Double.isFinite(m.value())) {
                continue;
            }
            int c = (int) Math.min(columns - 1, (m.step() - first) / span);
            Column was = cut[c];
            cut[c] = was == null ? new Column(m.step(), m.value(), m.value())
                    : new Column(Math.min(was.step(), m.step()), Math.min(was.min(), m.value()), Math.max(was.max(), m.value()));
        }
        List<Column> out = new ArrayList<>();
        for (Column c : cut) {
            if (c != null) {
                out.add(c);
            }
        }
        return new MetricSketch(key, history.size(), first, last, out);
    }
}
