package org.mlregistry.web.view;

import java.util.Objects;

/**
 * HTML made from Markdown by the interface's renderer, with raw HTML escaped and unsafe link targets dropped: the one
 * kind of value a template writes without escaping.
 *
 * @param html the rendered HTML
 */
public record Markdown(String html) {

    public Markdown {
        Objects.requireNonNull(html, "html");
    }
}
