package org.mlregistry.core.model;

/**
 * What an upload of a file that already exists does. GitLab keeps every upload and serves the newest, so
 * {@link #REPLACE} is the default; {@link #REFUSE} makes versions write-once for those who want that.
 */
public enum FileOverwrite {
    /** The new file replaces the old one atomically (201). */
    REPLACE,
    /** The upload is refused with 409 and the existing file is kept. */
    REFUSE;

    /** The lower-case name used in configuration ({@code replace}). */
    public String value() {
        return ConfigNames.of(this);
    }

    /**
     * Parses {@code replace} or {@code refuse}, case-insensitively.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static FileOverwrite parse(String value) {
        return ConfigNames.parse(FileOverwrite.class, value, "overwrite policy");
    }
}
