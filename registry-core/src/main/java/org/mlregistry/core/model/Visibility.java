package org.mlregistry.core.model;

/**
 * A project's visibility level. Public projects are readable by anyone; internal and private projects
 * only by their members (a project the caller may not see is reported as not found).
 */
public enum Visibility {
    PUBLIC, INTERNAL, PRIVATE;

    /** The lower-case name used in configuration. */
    public String value() {
        return ConfigNames.of(this);
    }

    /**
     * Parses {@code public}, {@code internal} or {@code private}, case-insensitively.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Visibility parse(String value) {
        return ConfigNames.parse(Visibility.class, value, "visibility");
    }
}
