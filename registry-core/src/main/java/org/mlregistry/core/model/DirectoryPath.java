package org.mlregistry.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A validated directory inside a model version ({@code weights/v1}); the empty path is the version itself.
 * Segments follow the same rules as {@link FilePath}'s.
 *
 * @param segments the directory segments, outermost first
 */
public record DirectoryPath(List<String> segments) {

    /** The version's top directory. */
    public static final DirectoryPath TOP = new DirectoryPath(List.of());

    public DirectoryPath {
        segments = List.copyOf(segments);
        for (String s : segments) {
            if (!FilePath.isValidSegment(s)) {
                throw new InvalidFilePathException(InvalidFilePathException.Part.DIRECTORY, "invalid path segment");
            }
        }
        if (segments.size() > FilePath.MAX_DEPTH) {
            throw new InvalidFilePathException(InvalidFilePathException.Part.LENGTH, "too many directories");
        }
    }

    /**
     * Parses {@code a/b} (empty for the top).
     *
     * @throws InvalidFilePathException when a segment is invalid
     */
    public static DirectoryPath parse(String relative) {
        Objects.requireNonNull(relative, "relative");
        return relative.isEmpty() ? TOP : new DirectoryPath(List.of(relative.split("/", -1)));
    }

    /** The file {@code name} in this directory. */
    public FilePath file(String name) {
        return new FilePath(segments, name);
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
