package org.mlregistry.core.http.gitlab;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.http.base.PercentDecodingOrDash;
import org.mlregistry.core.http.base.RawPaths;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/**
 * Matches {@code /projects/:id/packages/ml_models/:model_version_id/files/(*path/):file_name} on the raw
 * (still encoded) path, its parts read as {@link RawPaths} reads every protocol's.
 */
final class RouteParser {

    private static final int MAX_RAW_PATH = 8192;

    static final String TEMPLATE = "/projects/:id/packages/ml_models/:model_version_id/files/*path";

    private RouteParser() {
    }

    /** The file route's template and what the {@link #segments} of a path name. */
    static RouteInfo info(List<String> segments) {
        return new RouteInfo(TEMPLATE, PercentDecodingOrDash.of(segments.get(1)), PercentDecodingOrDash.version(segments.get(4)));
    }

    /**
     * Parses a path already known to have the route's shape, for an upload ({@code write}) or a read.
     *
     * @throws RejectedRequest with a 400, 404 or 414 problem, or a {@link RegistryException} for a project that cannot exist
     */
    static Route parse(String rawPath, boolean write) {
        List<String> s = segments(rawPath);
        if (s == null) {
            throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
        }
        return parse(s, write);
    }

    /** Parses the {@link #segments} of a path that has the route's shape. */
    static Route parse(List<String> s, boolean write) {
        // the file path is judged first, then the version, then the project: as before the catalog existed
        FilePath file = RawPaths.file(s.subList(6, s.size()), write);
        ModelVersionRef version = RawPaths.version(s.get(4));
        return new Route(RawPaths.project(s.get(1)), version, file);
    }

    /**
     * The raw segments after the optional API prefix, or null when the path does not have the route's
     * shape: split once per request, then handed to {@link #info} and {@link #parse}.
     */
    static @Nullable List<String> segments(String rawPath) {
        if (rawPath.length() > MAX_RAW_PATH) {
            return null;
        }
        String p = RawPaths.withoutPrefix(rawPath);
        if (!p.startsWith("/")) {
            return null;
        }
        List<String> s = List.of(p.substring(1).split("/", -1));
        if (s.size() < 7
                || !s.get(0).equals("projects") || s.get(1).isEmpty()
                || !s.get(2).equals("packages") || !s.get(3).equals("ml_models")
                || s.get(4).isEmpty() || !s.get(5).equals("files")) {
            return null;
        }
        return s;
    }
}
