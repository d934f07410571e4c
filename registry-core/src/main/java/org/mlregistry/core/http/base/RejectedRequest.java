package org.mlregistry.core.http.base;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request the HTTP layer turns away before or after asking the registry, for a reason that exists
 * only on the wire: an unknown route, a malformed request, an invalid path segment, a method the route
 * does not have. Domain refusals stay {@link org.mlregistry.core.RegistryException}s; {@link ErrorTable}
 * answers both.
 */
public final class RejectedRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the request. */
    public enum Problem {
        /** The route matches nothing, or the version or file does not exist (404). */
        NOT_FOUND,
        /** The file name breaks GitLab's rules (400). */
        INVALID_FILE_NAME,
        /** A directory segment of the file path breaks GitLab's rules (400). */
        INVALID_PATH,
        /** The request is malformed: two credentials, a bad header, and the like (400). */
        BAD_REQUEST,
        /** The route exists but not for this method (405). */
        METHOD_NOT_ALLOWED,
        /** The file path has more segments or characters than any storage is asked to hold (414 on PUT). */
        PATH_TOO_LONG,
        /** A request body over the limit of its endpoint (413). */
        BODY_TOO_LARGE,
        /** A request body arriving below the minimum data rate; the connection is closed after the answer (408). */
        REQUEST_TIMEOUT,
        /** An MLflow endpoint this registry does not implement (404 {@code ENDPOINT_NOT_FOUND}). */
        ENDPOINT_NOT_FOUND,
        /** A body in a transfer coding other than {@code chunked}, which the registry would store still encoded (501). */
        NOT_IMPLEMENTED
    }

    private final Problem problem;
    private final @Nullable String detail;

    public RejectedRequest(Problem problem) {
        super(problem.name(), null, false, false);
        this.problem = problem;
        this.detail = null;
    }

    public RejectedRequest(Problem problem, String detail) {
        super(problem.name() + ": " + detail, null, false, false);
        this.problem = problem;
        this.detail = detail;
    }

    public Problem problem() {
        return problem;
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
