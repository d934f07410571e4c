package org.mlregistry.web.view;

import java.util.List;

/**
 * The start page: the projects the visitor may see.
 *
 * @param layout the frame
 * @param projects the projects, by path
 */
public record HomeView(Layout layout, List<ProjectItem> projects) {

    /**
     * One project.
     *
     * @param path its full path
     * @param visibility {@code public}, {@code internal} or {@code private}
     * @param href its models page
     */
    public record ProjectItem(String path, String visibility, String href) {
    }

    public HomeView {
        projects = List.copyOf(projects);
    }
}
