package org.mlregistry.core.model;

/**
 * Thrown when a file path breaks GitLab's rules for model files, saying which part is at fault: the API
 * answers {@code file_name is invalid}, {@code path is invalid}, or that the path is too long.
 */
public final class InvalidFilePathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Which part of the path breaks the rules. */
    public enum Part {
        /** The file name. */
        FILE_NAME,
        /** A directory segment. */
        DIRECTORY,
        /** The whole: more segments or characters than any storage is asked to hold. */
        LENGTH
    }

    private final Part part;

    public InvalidFilePathException(Part part, String message) {
        super(message);
        this.part = part;
    }

    /** The part at fault. */
    public Part part() {
        return part;
    }
}
