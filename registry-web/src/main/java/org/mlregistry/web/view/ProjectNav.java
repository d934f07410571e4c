package org.mlregistry.web.view;

/**
 * The tabs of a project's pages.
 *
 * @param project the project's full path
 * @param visibility {@code public}, {@code internal} or {@code private}
 * @param modelsHref the models tab
 * @param experimentsHref the experiments tab
 * @param active which tab is open: {@code models} or {@code experiments}
 * @param canWrite whether the visitor may change the project's models (developer or above, a token with {@code api})
 */
public record ProjectNav(String project, String visibility, String modelsHref, String experimentsHref, String active,
                         boolean canWrite) {
}
