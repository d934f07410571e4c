package org.mlregistry.web.view;

import java.util.List;

/**
 * A project's models, searched and paged.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param query the search text, empty for all
 * @param models this page's models
 * @param total how many models match
 * @param pager the page links
 * @param createAction where the new-model form posts
 */
public record ModelsView(Layout layout, ProjectNav nav, String query, List<ModelItem> models, int total, Pager pager,
                         String createAction) {

    /**
     * One model.
     *
     * @param name its name
     * @param href its page
     * @param latest its latest version, empty when it has none
     * @param versions how many versions it has
     * @param updated when it last changed
     * @param description the first line of its description
     */
    public record ModelItem(String name, String href, String latest, int versions, String updated, String description) {
    }

    public ModelsView {
        models = List.copyOf(models);
    }
}
