package org.mlregistry.web.view;

import java.util.List;

/**
 * A metric's history drawn as lines in an SVG of {@link #WIDTH} by {@link #HEIGHT}: one line for a run, one per run when
 * runs are compared. Points are numbers the page computed, never text from a request.
 *
 * @param metric the metric's key
 * @param top the highest value, in words (the top edge)
 * @param bottom the lowest value, in words (the bottom edge)
 * @param steps the steps the x axis spans, in words
 * @param lines one per run
 * @param summary a sentence for screen readers
 */
public record Chart(String metric, String top, String bottom, String steps, List<Line> lines, String summary) {

    /** The drawing's width, in SVG units. */
    public static final int WIDTH = 600;
    /** The drawing's height, in SVG units. */
    public static final int HEIGHT = 200;

    /**
     * One run's line.
     *
     * @param label the run's name
     * @param points the SVG {@code points}: {@code x,y} pairs
     * @param colour which of the stylesheet's line colours (0 to 4)
     */
    public record Line(String label, String points, int colour) {
    }

    public Chart {
        lines = List.copyOf(lines);
    }
}
