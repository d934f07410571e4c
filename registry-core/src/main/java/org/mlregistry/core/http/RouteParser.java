package org.mlregistry.core.http;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

/**
 * Matches {@code /projects/:id/packages/ml_models/:model_version_id/files/(*path/):file_name} on the raw
 * (still encoded) path, so that {@code %2F} inside {@code :id} is data while a plain {@code /} is structure.
 * Each segment is decoded exactly once; whatever still looks encoded afterwards is refused by the
 * segment charset, which is how double encoding is rejected.
 */
final class RouteParser {

    static final String API_PREFIX = "/api/v4";
    private static final int MAX_RAW_PATH = 8192;

    private RouteParser() {
    }

    static final String TEMPLATE = "/projects/:id/packages/ml_models/:model_version_id/files/*path";

    /** The file route's template and what the {@link #segments} of a path name. */
    static RouteInfo info(List<String> segments) {
        return new RouteInfo(TEMPLATE, PercentDecodingOrDash.of(segments.get(1)), PercentDecodingOrDash.version(segments.get(4)));
    }

    /**
     * Parses a path already known to have the route's shape.
     *
     * @throws RejectedRequest with a 400 or 404 problem, or a {@link RegistryException} for a project that cannot exist
     */
    static Route parse(String rawPath) {
        List<String> s = segments(rawPath);
        if (s == null) {
            throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
        }
        return parse(s);
    }

    /** Parses the {@link #segments} of a path that has the route's shape. */
    static Route parse(List<String> s) {
        // the file path is judged first, then the version, then the project: as before the catalog existed
        FilePath file = filePath(s.subList(6, s.size()));
        ModelVersionRef version = version(s.get(4));
        return new Route(project(s.get(1)), version, file);
    }

    /**
     * The file path of raw (still encoded) segments, the last being the file name: each decoded once and
     * validated.
     */
    static FilePath filePath(List<String> raw) {
        List<String> fileSegments = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            boolean isFileName = i == raw.size() - 1;
            String decoded;
            try {
                decoded = PercentDecoding.decode(raw.get(i));
            } catch (IllegalArgumentException e) {
                throw invalid(isFileName);
            }
            if (!FilePath.isValidSegment(decoded)) {
                throw invalid(isFileName);
            }
            fileSegments.add(decoded);
        }
        try {
            return new FilePath(fileSegments.subList(0, fileSegments.size() - 1), fileSegments.get(fileSegments.size() - 1));
        } catch (InvalidFilePathException e) {
            throw switch (e.part()) {
                case FILE_NAME -> invalid(true);
                case DIRECTORY -> invalid(false);
                case LENGTH -> new RejectedRequest(RejectedRequest.Problem.PATH_TOO_LONG, "a file path has at most "
                        + FilePath.MAX_DEPTH + " directories and " + FilePath.MAX_LENGTH + " characters");
            };
        }
    }

    /** The {@code :model_version_id} of a raw segment; one no version can have is absent (404). */
    static ModelVersionRef version(String raw) {
        try {
            return ModelVersionRef.parse(PercentDecoding.decode(raw));
        } catch (IllegalArgumentException e) {
            throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
        }
    }

    /** The {@code :id} of a raw segment; one no project can have is a hidden project (404 Project Not Found). */
    static ProjectRef project(String raw) {
        try {
            return ProjectRef.parse(PercentDecoding.decode(raw));
        } catch (IllegalArgumentException e) {
            // no project can have such a name; saying so reveals nothing
            throw new RegistryException(Refusal.PROJECT_NOT_FOUND);
        }
    }

    private static RejectedRequest invalid(boolean fileName) {
        return new RejectedRequest(fileName ? RejectedRequest.Problem.INVALID_FILE_NAME : RejectedRequest.Problem.INVALID_PATH);
    }

    /**
     * The raw segments after the optional API prefix, or null when the path does not have the route's
     * shape: split once per request, then handed to {@link #info} and {@link #parse}.
     */
    static @Nullable List<String> segments(String rawPath) {
        if (rawPath == null || rawPath.length() > MAX_RAW_PATH) {
            return null;
        }
        String p = rawPath.startsWith(API_PREFIX + "/") ? rawPath.substring(API_PREFIX.length()) : rawPath;
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
