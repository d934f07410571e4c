package org.mlregistry.web.view;

import java.util.List;

/**
 * An experiment's runs as a table: parameters, latest metric values, status and duration, sortable by any column.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param name the experiment's name
 * @param paramKeys the parameter columns
 * @param metricKeys the metric columns
 * @param columns every column's header, with the link that sorts by it
 * @param runs the rows, in the chosen order
 * @param compareAction where the comparison form goes (a GET with the chosen runs)
 */
public record ExperimentView(Layout layout, ProjectNav nav, String name, List<String> paramKeys, List<String> metricKeys,
                             List<Column> columns, List<RunRow> runs, String compareAction) {

    /**
     * A column header.
     *
     * @param label what it shows
     * @param href the page sorted by it (the other way round when it is the current order)
     * @param sorted {@code ascending}, {@code descending}, or {@code none}: what {@code aria-sort} says
     */
    public record Column(String label, String href, String sorted) {
    }

    /**
     * One run.
     *
     * @param iid its number, what the comparison form sends
     * @param name its name
     * @param href its page
     * @param status MLflow's status
     * @param duration how long it ran, in words
     * @param cells its parameter values then its metric values, in the order of the columns
     */
    public record RunRow(long iid, String name, String href, String status, String duration, List<String> cells) {

        public RunRow {
            cells = List.copyOf(cells);
        }
    }

    public ExperimentView {
        paramKeys = List.copyOf(paramKeys);
        metricKeys = List.copyOf(metricKeys);
        columns = List.copyOf(columns);
        runs = List.copyOf(runs);
    }
}
