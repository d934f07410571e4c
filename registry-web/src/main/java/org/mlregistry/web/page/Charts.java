package org.mlregistry.web.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.web.view.Chart;

/**
 * Draws metric histories as SVG polylines from their sketches ({@link MetricSketch}, one column per unit of the
 * chart's width, made by the catalog): two points a column, its lowest and highest value, so a history of a hundred
 * thousand points is drawn with at most {@code 2 * WIDTH} and still shows every spike.
 */
final class Charts {

    /** The columns asked of the catalog: one per unit of the chart's width. */
    static final int COLUMNS = Chart.WIDTH;

    private Charts() {
    }

    /**
     * A history to draw.
     *
     * @param label the run's name
     * @param sketch its metric's sketch
     */
    record History(String label, MetricSketch sketch) {
    }

    static Chart chart(String metric, List<History> histories) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long firstStep = Long.MAX_VALUE;
        long lastStep = Long.MIN_VALUE;
        long points = 0;
        for (History h : histories) {
            MetricSketch s = h.sketch();
            if (s.points() > 0) {
                firstStep = Math.min(firstStep, s.firstStep());
                lastStep = Math.max(lastStep, s.lastStep());
                points += s.points();
            }
            for (MetricSketch.Column c : s.columns()) {
                min = Math.min(min, c.min());
                max = Math.max(max, c.max());
            }
        }
        if (min > max) { // no finite point at all
            min = 0;
            max = 1;
        }
        if (firstStep > lastStep) {
            firstStep = 0;
            lastStep = 0;
        }
        List<Chart.Line> lines = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            History h = histories.get(i);
            lines.add(new Chart.Line(h.label(), polyline(h.sketch(), min, max, firstStep, lastStep), i % 5));
        }
        String summary = metric + ": " + points + " points from step " + firstStep + " to " + lastStep + ", between "
                + Formats.number(min) + " and " + Formats.number(max);
        return new Chart(metric, Formats.number(max), Formats.number(min), firstStep + " to " + lastStep, lines, summary);
    }

    private static String polyline(MetricSketch sketch, double min, double max, long firstStep, long lastStep) {
        double xSpan = Math.max(1, (double) lastStep - (double) firstStep);
        // halves: the span of values near the double range's ends (1e308 and -1e308) would be infinite
        double halfSpan = max / 2 - min / 2 == 0 ? 1 : max / 2 - min / 2;
        StringBuilder out = new StringBuilder();
        for (MetricSketch.Column c : sketch.columns()) {
            double x = ((double) c.step() - (double) firstStep) / xSpan * Chart.WIDTH;
            double low = Chart.HEIGHT - (c.min() / 2 - min / 2) / halfSpan * Chart.HEIGHT;
            double high = Chart.HEIGHT - (c.max() / 2 - min / 2) / halfSpan * Chart.HEIGHT;
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, low));
            if (high != low) {
                out.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, high));
            }
        }
        return out.toString().strip();
    }
}
