package org.mlregistry.core.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * One point of a run's metric, as MLflow logs it: a key, a value (any double, NaN and the infinities included), the
 * time it was recorded (milliseconds since the epoch) and the training step (0 when not given).
 */
public record Metric(String key, double value, long timestamp, long step) {

    /**
     * MLflow's order for a metric's latest value: the highest step, then the latest time, then the largest value, with NaN
     * compared as 0 and the infinities as the largest finite values ({@code sqlalchemy_store._update_latest_metric_if_necessary});
     * on a full tie the point logged first stays latest.
     */
    public static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
            .thenComparingDouble(Metric::comparable);

    private static double comparable(Metric m) {
        double v = m.value();
        return Double.isNaN(v) ? 0 : Double.isInfinite(v) ? Math.copySign(Double.MAX_VALUE, v) : v;
    }

    /** Whether {@code candidate} replaces {@code latest} as its key's latest point. */
    public static boolean newer(Metric candidate, Metric latest) {
        return LATEST.compare(candidate, latest) > 0;
    }

    public Metric {
        Objects.requireNonNull(key, "key");
    }
}
