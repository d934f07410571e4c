package org.mlregistry.web.view;

/**
 * A ready-to-copy piece of shell or Python that uses the version.
 *
 * @param id the element id its copy button names
 * @param title what it is for
 * @param text the code
 */
public record Snippet(String id, String title, String text) {
}
