package org.mlregistry.web.view;

import java.util.List;

/**
 * A model: its card, tags, aliases and versions.
 *
 * @param layout the frame
 * @param nav the project's tabs
 * @param name the model's name
 * @param description its description as Markdown
 * @param rawDescription its description as written, for the edit form
 * @param tags its tags
 * @param aliases its aliases, each naming a version
 * @param versions its versions, highest first
 * @param action where its forms post
 */
public record ModelView(Layout layout, ProjectNav nav, String name, Markdown description, String rawDescription, List<Pair> tags,
                        List<Pair> aliases, List<VersionItem> versions, String action) {

    /**
     * A key and its value: a tag, or an alias and its version.
     *
     * @param key the key
     * @param value the value
     */
    public record Pair(String key, String value) {
    }

    /**
     * One version.
     *
     * @param version its semantic version
     * @param href its page
     * @param latest whether it is the model's latest
     * @param created when it was made
     * @param size the total size of its files, in words
     * @param aliases the aliases naming it
     */
    public record VersionItem(String version, String href, boolean latest, String created, String size, String aliases) {
    }

    public ModelView {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
        versions = List.copyOf(versions);
    }
}
