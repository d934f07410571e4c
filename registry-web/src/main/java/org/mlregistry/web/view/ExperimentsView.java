package org.mlregistry.web.view;

import java.util.List;

/**
 * A project's experiments.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param experiments the active experiments, newest first
 */
public record ExperimentsView(Layout layout, ProjectNav nav, List<ExperimentItem> experiments) {

    /**
     * One experiment.
     *
     * @param name its name
     * @param href its page
     * @param runs how many runs it has
     * @param created when it was made
     */
    public record ExperimentItem(String name, String href, int runs, String created) {
    }

    public ExperimentsView {
        experiments = List.copyOf(experiments);
    }
}
