package org.mlregistry.core.http.base;

import org.mlregistry.core.Refusal;
import org.mlregistry.core.http.base.ErrorRow.Body;
import org.mlregistry.core.http.base.ErrorRow.Header;

/**
 * The one table from a refusal to its answer on the wire: every {@link Refusal} of the registry and every
 * {@link RejectedRequest.Problem} of the HTTP layer has exactly one {@link ErrorRow}, with GitLab's exact wording so
 * that clients written for GitLab parse our errors unchanged, and the MLflow and Hugging Face words beside it. Each
 * mapping is an exhaustive {@code switch}, the only one over its enum in the code base: a new {@code Refusal} does
 * not compile until it has its row here, and nowhere else.
 */
public final class ErrorTable {

    static final String EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    static final String REVOKED = "Token was revoked. You have to re-authorize from the user.";
    static final String SCOPE = "The request requires higher privileges than provided by the access token.";
    static final String CATALOG_DOWN = "the model catalog cannot be reached; try again later";
    static final String STORAGE_DOWN = "the file storage cannot be reached; try again later";
    /** {@code huggingface_hub} raises {@code RepositoryNotFoundError} for it. */
    public static final String REPO_NOT_FOUND = "RepoNotFound";
    /** {@code huggingface_hub} raises {@code RevisionNotFoundError} for it. */
    public static final String REVISION_NOT_FOUND = "RevisionNotFound";
    /** {@code huggingface_hub} raises {@code EntryNotFoundError} for it. */
    public static final String ENTRY_NOT_FOUND = "EntryNotFound";

    private ErrorTable() {
    }

    /** The answer to a refusal of the registry. */
    public static ErrorRow of(Refusal reason) {
        return switch (reason) {
            case UNAUTHORIZED -> ErrorRow.of(401, "401 Unauthorized").header(Header.CHALLENGE)
                    .hub(REPO_NOT_FOUND, "Repository not found, or a valid token is needed to see it");
            case TOKEN_EXPIRED -> oauth(401, "invalid_token", EXPIRED).hub(REPO_NOT_FOUND, EXPIRED);
            case TOKEN_REVOKED -> oauth(401, "invalid_token", REVOKED).hub(REPO_NOT_FOUND, REVOKED);
            case INSUFFICIENT_SCOPE -> oauth(403, "insufficient_scope", SCOPE).body(Body.OAUTH_SCOPE);
            case PROJECT_NOT_FOUND -> ErrorRow.of(404, "404 Project Not Found").hub(REPO_NOT_FOUND, "Repository not found");
            case FORBIDDEN -> ErrorRow.of(403, "403 Forbidden").detailShown().hub(null, "403 Forbidden");
            case READ_ONLY -> ErrorRow.of(405, "405 Method Not Allowed").header(Header.ALLOW_READS);
            case FILE_EXISTS -> ErrorRow.of(409, "409 Conflict").detailOr("File already exists");
            case PATH_CONFLICT -> ErrorRow.of(409, "409 Conflict").detailShown();
            case CHECKSUM_MISMATCH -> ErrorRow.of(400, "400 Bad request").detailOr("checksum mismatch");
            case FILE_TOO_LARGE -> ErrorRow.of(413, "413 Request Entity Too Large").detailShown();
            case PATH_TOO_LONG -> ErrorRow.of(414, "414 Request-URI Too Long").detailShown();
            case INSUFFICIENT_STORAGE -> ErrorRow.of(507, "507 Insufficient Storage");
            case TOO_MANY_UPLOADS -> ErrorRow.of(429, "429 Too Many Requests").detailShown().header(Header.RETRY)
                    .mlflow("REQUEST_LIMIT_EXCEEDED");
            case CONTENT_MISSING -> ErrorRow.of(404, "404 Not Found").detailShown().mlflow("RESOURCE_DOES_NOT_EXIST")
                    .hubDetailOr(ENTRY_NOT_FOUND, "Entry not found");
            case RESOURCE_DOES_NOT_EXIST -> ErrorRow.of(404, "404 Not Found").mlflow("RESOURCE_DOES_NOT_EXIST")
                    .hub(REPO_NOT_FOUND, "Repository not found");
            case REVISION_NOT_FOUND -> ErrorRow.of(404, "404 Revision Not Found").mlflow("RESOURCE_DOES_NOT_EXIST")
                    .hubDetailOr(REVISION_NOT_FOUND, "Invalid rev id");
            case RESOURCE_ALREADY_EXISTS -> ErrorRow.of(400, "400 Bad request").detailShown().mlflow("RESOURCE_ALREADY_EXISTS");
            case INVALID_PARAMETER_VALUE -> ErrorRow.of(400, "400 Bad request").detailShown().mlflow("INVALID_PARAMETER_VALUE")
                    .hubDetailOr(null, "invalid request");
            case CATALOG_UNAVAILABLE -> ErrorRow.of(503, "503 Service Unavailable").fixedDetail(CATALOG_DOWN)
                    .mlflow("TEMPORARILY_UNAVAILABLE");
            case STORAGE_UNAVAILABLE -> ErrorRow.of(503, "503 Service Unavailable").fixedDetail(STORAGE_DOWN)
                    .mlflow("TEMPORARILY_UNAVAILABLE");
        };
    }

    /** The answer to a request the HTTP layer turned away. */
    public static ErrorRow of(RejectedRequest.Problem problem) {
        return switch (problem) {
            case NOT_FOUND -> ErrorRow.of(404, "404 Not Found").mlflow("RESOURCE_DOES_NOT_EXIST", "Not found")
                    .hub(ENTRY_NOT_FOUND, "Entry not found");
            case INVALID_FILE_NAME -> ErrorRow.of(400, "file_name is invalid").body(Body.ERROR)
                    .mlflow("INVALID_PARAMETER_VALUE", "invalid artifact path");
            case INVALID_PATH -> ErrorRow.of(400, "path is invalid").body(Body.ERROR)
                    .mlflow("INVALID_PARAMETER_VALUE", "invalid artifact path");
            case BAD_REQUEST -> ErrorRow.of(400, "400 Bad request").detailShown();
            case METHOD_NOT_ALLOWED -> ErrorRow.of(405, "405 Method Not Allowed").header(Header.ALLOW_ROUTE);
            case PATH_TOO_LONG -> ErrorRow.of(414, "414 Request-URI Too Long").detailShown();
            case BODY_TOO_LARGE -> ErrorRow.of(413, "413 Request Entity Too Large").detailShown().body(Body.MLFLOW)
                    .mlflow("REQUEST_LIMIT_EXCEEDED", "request body too large");
            case REQUEST_TIMEOUT -> ErrorRow.of(408, "408 Request Timeout").detailShown().header(Header.CLOSE);
            case ENDPOINT_NOT_FOUND -> ErrorRow.of(404, "404 Not Found").body(Body.MLFLOW)
                    .mlflow("ENDPOINT_NOT_FOUND", "this endpoint is not implemented");
            case NOT_IMPLEMENTED -> ErrorRow.of(501, "501 Not Implemented").detailShown().header(Header.CLOSE);
        };
    }

    /** The row of a server failure: GitLab's 500, the same in every protocol (nothing of the failure is told). */
    public static ErrorRow internalError() {
        return ErrorRow.of(500, "500 Internal Server Error");
    }

    private static ErrorRow oauth(int status, String error, String description) {
        return ErrorRow.of(status, error).fixedDetail(description).body(Body.OAUTH).header(Header.CHALLENGE);
    }
}
