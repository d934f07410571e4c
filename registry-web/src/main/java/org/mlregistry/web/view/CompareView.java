package org.mlregistry.web.view;

import java.util.List;

/**
 * Two to five runs side by side: every parameter (those that differ marked) and every metric, with histories overlaid.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param experiment the experiment's name
 * @param experimentHref its page
 * @param runs the runs' names, in the columns' order
 * @param runHrefs their pages
 * @param params one row per parameter key
 * @param metrics one row per metric key (latest values)
 * @param charts each metric's histories overlaid
 */
public record CompareView(Layout layout, ProjectNav nav, String experiment, String experimentHref, List<String> runs,
                          List<String> runHrefs, List<Row> params, List<Row> metrics, List<Chart> charts) {

    /**
     * One key across the runs.
     *
     * @param key the parameter or metric
     * @param values its value in each run (empty where a run has none)
     * @param differs whether the runs' values are not all the same
     */
    public record Row(String key, List<String> values, boolean differs) {

        public Row {
            values = List.copyOf(values);
        }
    }

    public CompareView {
        runs = List.copyOf(runs);
        runHrefs = List.copyOf(runHrefs);
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
        charts = List.copyOf(charts);
    }
}
