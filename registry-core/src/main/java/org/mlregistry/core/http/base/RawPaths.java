package org.mlregistry.core.http.base;

import java.util.ArrayList;
import java.util.List;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

/**
 * The parts every protocol's routes share, read from the raw (still encoded) path: the project {@code :id}, the
 * model version and a file path. Each segment is decoded exactly once, so {@code %2F} inside {@code :id} is data
 * while a plain {@code /} is structure, and whatever still looks encoded afterwards is refused by the segment charset
 * (which is how double encoding is rejected).
 */
public final class RawPaths {

    /** The prefix every route may carry, as GitLab's do. */
    public static final String API_PREFIX = "/api/v4";

    private RawPaths() {
    }

    /** {@code rawPath} without the {@link #API_PREFIX}, when it has one. */
    public static String withoutPrefix(String rawPath) {
        return rawPath.startsWith(API_PREFIX + "/") ? rawPath.substring(API_PREFIX.length()) : rawPath;
    }

    /** The {@code :id} of a raw segment; one no project can have is a hidden project (404 Project Not Found). */
    public static ProjectRef project(String raw) {
        try {
            return ProjectRef.parse(PercentDecoding.decode(raw));
        } catch (IllegalArgumentException e) {
            // no project can have such a name; saying so reveals nothing
            throw new RegistryException(Refusal.PROJECT_NOT_FOUND);
        }
    }

    /** The {@code :model_version_id} of a raw segment; one no version can have is absent (404). */
    public static ModelVersionRef version(String raw) {
        try {
            return ModelVersionRef.parse(PercentDecoding.decode(raw));
        } catch (IllegalArgumentException e) {
            throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
        }
    }

    /**
     * The file path of raw segments, the last being the file name, for an upload: each decoded once and validated.
     *
     * @throws RejectedRequest {@code INVALID_FILE_NAME}, {@code INVALID_PATH}, or {@code PATH_TOO_LONG} (414)
     */
    public static FilePath fileToWrite(List<String> raw) {
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

    /** As {@link #fileToWrite}, for a read: a path too long to store names no file, so it is absent (404), not 414. */
    public static FilePath fileToRead(List<String> raw) {
        try {
            return fileToWrite(raw);
        } catch (RejectedRequest e) {
            throw e.problem() == RejectedRequest.Problem.PATH_TOO_LONG ? new RejectedRequest(RejectedRequest.Problem.NOT_FOUND) : e;
        }
    }

    /** {@link #fileToWrite} or {@link #fileToRead}, as the method says. */
    public static FilePath file(List<String> raw, boolean write) {
        return write ? fileToWrite(raw) : fileToRead(raw);
    }

    private static RejectedRequest invalid(boolean fileName) {
        return new RejectedRequest(fileName ? RejectedRequest.Problem.INVALID_FILE_NAME : RejectedRequest.Problem.INVALID_PATH);
    }
}
