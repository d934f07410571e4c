package org.mlregistry.web.view;

import java.util.List;

/**
 * A model version: its card, files, run and the lines that load it.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param model the model's name
 * @param modelHref the model's page
 * @param version the semantic version
 * @param latest whether it is the model's latest
 * @param created when it was made
 * @param totalSize the size of all its files, in words
 * @param card the version's {@code README.md}, else its description, as Markdown
 * @param cardFromReadme whether the card is the version's {@code README.md}
 * @param rawDescription its description as written, for the edit form
 * @param files its files, by path (a page of them)
 * @param filesPager the pages of its files
 * @param params its run's parameters
 * @param metrics its run's latest metric values
 * @param runHref its run's page, empty when it has none
 * @param snippets ready-to-copy code
 * @param action where its forms post
 * @param uploadHref where the upload script puts files ({@code .../files})
 */
public record VersionView(Layout layout, ProjectNav nav, String model, String modelHref, String version, boolean latest, String created,
                          String totalSize, Markdown card, boolean cardFromReadme, String rawDescription, List<FileItem> files,
                          Pager filesPager, List<ModelView.Pair> params, List<ModelView.Pair> metrics, String runHref,
                          List<Snippet> snippets, String action, String uploadHref) {

    public VersionView {
        files = List.copyOf(files);
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
        snippets = List.copyOf(snippets);
    }
}
