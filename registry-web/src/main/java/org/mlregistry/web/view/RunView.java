package org.mlregistry.web.view;

import java.util.List;

/**
 * A run (GitLab's candidate): its details, parameters, metrics with their history drawn, and its files.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param name its name
 * @param runId MLflow's run id
 * @param experiment its experiment's name
 * @param experimentHref its experiment's page
 * @param status MLflow's status
 * @param started when it started
 * @param duration how long it ran, in words
 * @param versionHref the model version it is the run of, empty when none
 * @param params its parameters
 * @param metrics its latest metric values
 * @param charts each metric's history
 * @param tags its tags
 * @param files its files
 */
public record RunView(Layout layout, ProjectNav nav, String name, String runId, String experiment, String experimentHref, String status,
                      String started, String duration, String versionHref, List<ModelView.Pair> params, List<ModelView.Pair> metrics,
                      List<Chart> charts, List<ModelView.Pair> tags, List<FileItem> files) {

    public RunView {
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
        charts = List.copyOf(charts);
        tags = List.copyOf(tags);
        files = List.copyOf(files);
    }
}
