package org.mlregistry.core;

/**
 * Why the registry refused a request. Every refusal the registry or its HTTP layer can make is one of
 * these; {@code org.mlregistry.core.http.ErrorResponses} is the single place that turns each into an
 * HTTP status and JSON body, so an embedder calling {@link ModelRegistry} in-process sees the same
 * decisions an HTTP client does.
 */
public enum Refusal {
    /** No usable credential where one is needed, an unknown token, or a finished job's token (401). */
    UNAUTHORIZED,
    /** The token is past its expiry date (401 {@code invalid_token}). */
    TOKEN_EXPIRED,
    /** The token was revoked (401 {@code invalid_token}). */
    TOKEN_REVOKED,
    /** The token lacks the scope the operation needs (403 {@code insufficient_scope}). */
    INSUFFICIENT_SCOPE,
    /** No such project, or one the caller may not see; the two are indistinguishable (404). */
    PROJECT_NOT_FOUND,
    /** The caller sees the project but its role or token does not allow the operation (403). */
    FORBIDDEN,
    /** The model version or file does not exist, or the route matches nothing (404). */
    NOT_FOUND,
    /** The file name breaks GitLab's rules (400). */
    INVALID_FILE_NAME,
    /** A directory segment of the file path breaks GitLab's rules (400). */
    INVALID_PATH,
    /** The request is malformed: two credentials, bad percent-encoding, and the like (400). */
    BAD_REQUEST,
    /** The route exists but not for this method (405). */
    METHOD_NOT_ALLOWED,
    /** An upload names a file that already exists; it is left untouched (409). */
    FILE_EXISTS,
    /** An upload is larger than the configured maximum (413). */
    FILE_TOO_LARGE
}
