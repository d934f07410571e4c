package org.mlregistry.core.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a request names a project: either its numeric id or its full namespaced path
 * ({@code group/sub/project}, already percent-decoded). Paths compare case-insensitively, as in GitLab,
 * so {@link #path()} is stored lower-cased; use {@link #parse(String)} at the edge.
 *
 * @param id the numeric id, or {@code -1} when the reference is a path
 * @param path the lower-cased full path, or {@code null} when the reference is an id
 */
public record ProjectRef(long id, @Nullable String path) {

    /** Longest full path accepted; GitLab's own limit is far below this. */
    public static final int MAX_PATH_LENGTH = 1024;

    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

    public ProjectRef {
        if (path == null && id < 0) {
            throw new IllegalArgumentException("project id must not be negative");
        }
        if (path != null && id != -1) {
            throw new IllegalArgumentException("a project reference is an id or a path, not both");
        }
    }

    /** A reference by numeric id. */
    public static ProjectRef ofId(long id) {
        return new ProjectRef(id, null);
    }

    /** A reference by full path; validated like {@link #parse(String)}. */
    public static ProjectRef ofPath(String fullPath) {
        Objects.requireNonNull(fullPath, "fullPath");
        if (fullPath.length() > MAX_PATH_LENGTH || !PATH.matcher(fullPath).matches()) {
            throw new IllegalArgumentException("not a valid project path (segments of letters, digits, _ . - separated by /)");
        }
        for (String segment : fullPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("not a valid project path (segments of letters, digits, _ . - separated by /)");
            }
        }
        return new ProjectRef(-1, fullPath.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses the decoded {@code :id} of a route: all digits is an id, anything else must be a full path.
     *
     * @throws IllegalArgumentException when it is neither (no such project can exist)
     */
    public static ProjectRef parse(String decoded) {
        Objects.requireNonNull(decoded, "decoded");
        if (ID.matcher(decoded).matches()) {
            return ofId(Long.parseLong(decoded));
        }
        return ofPath(decoded);
    }

    @Override
    public String toString() {
        return path == null ? Long.toString(id) : path;
    }
}
