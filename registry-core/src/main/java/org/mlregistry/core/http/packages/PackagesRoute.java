package org.mlregistry.core.http.packages;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.http.base.PercentDecodingOrDash;
import org.mlregistry.core.http.base.RawPaths;

/**
 * A request to GitLab's packages API, matched on the raw path: {@code /projects/:id/packages},
 * {@code /projects/:id/packages/:package_id}, its {@code package_files} and {@code package_files/:package_file_id}. Ids
 * are ASCII digits (GitLab declares them integers); anything else under {@code /packages/} (another package
 * registry's routes) is not this API's.
 *
 * @param rawProject the still encoded {@code :id}
 * @param kind what the path names
 * @param packageId the package id ({@code -1} for {@link Kind#LIST})
 * @param fileId the package file id ({@code -1} unless {@link Kind#FILE})
 */
public record PackagesRoute(String rawProject, Kind kind, long packageId, long fileId) {

    /** What the path names. */
    public enum Kind { LIST, PACKAGE, FILES, FILE }

    private static final String PREFIX = "/projects/:id/packages";

    /** The route template for access logs and metrics: fixed words only, never client text. */
    public RouteInfo info() {
        String template = switch (kind) {
            case LIST -> PREFIX;
            case PACKAGE -> PREFIX + "/:package_id";
            case FILES -> PREFIX + "/:package_id/package_files";
            case FILE -> PREFIX + "/:package_id/package_files/:package_file_id";
        };
        return new RouteInfo(template, PercentDecodingOrDash.of(rawProject), "-");
    }

    /** The route, or {@code null} when the path is not one of the packages API. */
    public static @Nullable PackagesRoute match(String rawPath) {
        if (!rawPath.contains("/packages")) {
            return null;
        }
        String p = RawPaths.withoutPrefix(rawPath);
        if (!p.startsWith("/projects/")) {
            return null;
        }
        List<String> s = List.of(p.substring(1).split("/", -1));
        if (s.size() < 3 || s.get(1).isEmpty() || !s.get(2).equals("packages")) {
            return null;
        }
        String project = s.get(1);
        return switch (s.size()) {
            case 3 -> new PackagesRoute(project, Kind.LIST, -1, -1);
            case 4 -> id(s.get(3)) < 0 ? null : new PackagesRoute(project, Kind.PACKAGE, id(s.get(3)), -1);
            case 5 -> id(s.get(3)) < 0 || !s.get(4).equals("package_files") ? null
                    : new PackagesRoute(project, Kind.FILES, id(s.get(3)), -1);
            case 6 -> id(s.get(3)) < 0 || !s.get(4).equals("package_files") || id(s.get(5)) < 0 ? null
                    : new PackagesRoute(project, Kind.FILE, id(s.get(3)), id(s.get(5)));
            default -> null;
        };
    }

    /** The id a segment of ASCII digits names, or -1 (also for one too long to be an id). */
    private static long id(String segment) {
        if (segment.isEmpty() || segment.length() > 18 || !segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(segment);
    }
}
