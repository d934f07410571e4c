package org.mlregistry.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated location of a file inside a model version: zero or more directory segments and a file
 * name. Every segment uses GitLab's charset {@code [A-Za-z0-9._+\- ]}, is not {@code .} or {@code ..}, and
 * so can never name a parent directory, a separator or a hidden escape on any file system. Storage code
 * maps segments one by one and never sees a raw string.
 *
 * @param directories the directory segments, outermost first (may be empty)
 * @param fileName the file name
 */
public record FilePath(List<String> directories, String fileName) {

    /** Longest segment accepted, in characters (common file-system limit). */
    public static final int MAX_SEGMENT_LENGTH = 255;
    /** Most directory segments accepted. */
    public static final int MAX_DEPTH = 32;
    /**
     * Longest whole path accepted, in characters with separators: well inside every file system's path
     * limit once joined to a storage root, and far beyond what model files use.
     */
    public static final int MAX_LENGTH = 1024;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+\\- ]+");

    public FilePath {
        directories = List.copyOf(directories);
        Objects.requireNonNull(fileName, "fileName");
        for (String d : directories) {
            if (!isValidSegment(d)) {
                throw new InvalidFilePathException(InvalidFilePathException.Part.DIRECTORY, "invalid path segment");
            }
        }
        if (!isValidSegment(fileName)) {
            throw new InvalidFilePathException(InvalidFilePathException.Part.FILE_NAME, "invalid file name");
        }
        int length = fileName.length() + directories.stream().mapToInt(d -> d.length() + 1).sum();
        if (directories.size() > MAX_DEPTH || length > MAX_LENGTH) {
            throw new InvalidFilePathException(InvalidFilePathException.Part.LENGTH,
                    "a file path has at most " + MAX_DEPTH + " directories and " + MAX_LENGTH + " characters");
        }
    }

    /** A file at the top of the version. */
    public static FilePath of(String fileName) {
        return new FilePath(List.of(), fileName);
    }

    /**
     * Parses a {@code /}-separated relative path such as {@code weights/v1/model.bin}.
     *
     * @throws InvalidFilePathException when any segment is invalid
     */
    public static FilePath parse(String relative) {
        Objects.requireNonNull(relative, "relative");
        List<String> parts = List.of(relative.split("/", -1));
        return new FilePath(parts.subList(0, parts.size() - 1), parts.get(parts.size() - 1));
    }

    /** True when {@code s} is a segment this type accepts. */
    public static boolean isValidSegment(String s) {
        return s != null
                && !s.isEmpty()
                && s.length() <= MAX_SEGMENT_LENGTH
                && !s.equals(".")
                && !s.equals("..")
                && SEGMENT.matcher(s).matches();
    }

    /** All segments, directories first and the file name last. */
    public List<String> segments() {
        List<String> all = new ArrayList<>(directories.size() + 1);
        all.addAll(directories);
        all.add(fileName);
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return String.join("/", segments());
    }
}
