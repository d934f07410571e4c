package org.mlregistry.core.model;

/**
 * Thrown when a file path breaks GitLab's rules for model files; tells whether the file name or a
 * directory segment was at fault, because the API answers {@code file_name is invalid} or
 * {@code path is invalid} accordingly.
 */
public final class InvalidFilePathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final boolean fileName;

    public InvalidFilePathException(boolean fileName, String message) {
        super(message);
        this.fileName = fileName;
    }

    /** True when the file name, not a directory segment, is invalid. */
    public boolean isFileName() {
        return fileName;
    }
}
