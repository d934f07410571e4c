package org.mlregistry.core.http;

import java.io.IOException;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;

/**
 * The one mapping from a refusal (the domain's {@link Refusal} or the wire's
 * {@link RejectedRequest.Problem}) to an HTTP status, headers and JSON body, with GitLab's exact wording
 * so that clients written for GitLab parse our errors unchanged. Both mappings are exhaustive
 * {@code switch} expressions: a new reason does not compile until it has an answer here.
 */
public final class ErrorResponses {

    static final String REALM = "Bearer realm=\"mlregistry\"";
    static final String EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    static final String REVOKED = "Token was revoked. You have to re-authorize from the user.";
    static final String SCOPE = "The request requires higher privileges than provided by the access token.";
    static final String ALLOW = "GET, HEAD, PUT";
    static final String CATALOG_DOWN = "the model catalog cannot be reached; try again later";
    static final String STORAGE_DOWN = "the file storage cannot be reached; try again later";

    private ErrorResponses() {
    }

    /** The status code for {@code reason}. */
    public static int status(Refusal reason) {
        return switch (reason) {
            case UNAUTHORIZED, TOKEN_EXPIRED, TOKEN_REVOKED -> 401;
            case INSUFFICIENT_SCOPE, FORBIDDEN -> 403;
            case PROJECT_NOT_FOUND -> 404;
            case READ_ONLY -> 405;
            case FILE_EXISTS, PATH_CONFLICT -> 409;
            case CHECKSUM_MISMATCH -> 400;
            case FILE_TOO_LARGE -> 413;
            case PATH_TOO_LONG -> 414;
            case INSUFFICIENT_STORAGE -> 507;
            case RESOURCE_DOES_NOT_EXIST, REVISION_NOT_FOUND -> 404;
            case RESOURCE_ALREADY_EXISTS, INVALID_PARAMETER_VALUE -> 400;
            case CATALOG_UNAVAILABLE, STORAGE_UNAVAILABLE -> 503;
        };
    }

    static int status(RejectedRequest.Problem problem) {
        return switch (problem) {
            case NOT_FOUND -> 404;
            case INVALID_FILE_NAME, INVALID_PATH, BAD_REQUEST -> 400;
            case METHOD_NOT_ALLOWED -> 405;
            case PATH_TOO_LONG -> 414;
            case BODY_TOO_LARGE -> 413;
            case REQUEST_TIMEOUT -> 408;
            case ENDPOINT_NOT_FOUND -> 404;
        };
    }

    /** Writes the full error response for {@code e} as the file route answers; the response must not be committed yet. */
    public static void write(RegistryException e, RegistryHttpResponse response) throws IOException {
        write(e, response, false);
    }

    /**
     * Writes the full error response for {@code e}; with {@code mlflow}, catalog refusals take MLflow's
     * {@code {"error_code": ..., "message": ...}} shape (authentication and project errors keep GitLab's).
     */
    static void write(RegistryException e, RegistryHttpResponse response, boolean mlflow) throws IOException {
        String detail = e.detail().orElse("");
        JsonBody body = switch (e.reason()) {
            case UNAUTHORIZED -> {
                response.header("WWW-Authenticate", REALM);
                yield JsonBody.message("401 Unauthorized");
            }
            case TOKEN_EXPIRED -> invalidToken(response, EXPIRED);
            case TOKEN_REVOKED -> invalidToken(response, REVOKED);
            case INSUFFICIENT_SCOPE -> {
                response.header("WWW-Authenticate", REALM + ", error=\"insufficient_scope\", error_description=\""
                        + SCOPE + "\", scope=\"" + detail + "\"");
                yield new JsonBody().with("error", "insufficient_scope").with("error_description", SCOPE)
                        .with("scope", detail);
            }
            case PROJECT_NOT_FOUND -> JsonBody.message("404 Project Not Found");
            case FORBIDDEN -> JsonBody.message(withDetail("403 Forbidden", e));
            case READ_ONLY -> {
                response.header("Allow", "GET, HEAD"); // this registry has no PUT at all
                yield JsonBody.message("405 Method Not Allowed");
            }
            case FILE_EXISTS -> JsonBody.message("409 Conflict - " + e.detail().orElse("File already exists"));
            case PATH_CONFLICT -> JsonBody.message(withDetail("409 Conflict", e));
            case CHECKSUM_MISMATCH -> JsonBody.message("400 Bad request - " + e.detail().orElse("checksum mismatch"));
            case FILE_TOO_LARGE -> JsonBody.message(withDetail("413 Request Entity Too Large", e));
            case PATH_TOO_LONG -> JsonBody.message(withDetail("414 Request-URI Too Long", e));
            case INSUFFICIENT_STORAGE -> JsonBody.message("507 Insufficient Storage");
            case RESOURCE_DOES_NOT_EXIST -> mlflow ? mlflowError("RESOURCE_DOES_NOT_EXIST", detail) : JsonBody.message("404 Not Found");
            case REVISION_NOT_FOUND -> mlflow ? mlflowError("RESOURCE_DOES_NOT_EXIST", detail)
                    : JsonBody.message("404 Revision Not Found");
            case RESOURCE_ALREADY_EXISTS -> mlflow ? mlflowError("RESOURCE_ALREADY_EXISTS", detail)
                    : JsonBody.message(withDetail("400 Bad request", e));
            case INVALID_PARAMETER_VALUE -> mlflow ? mlflowError("INVALID_PARAMETER_VALUE", detail)
                    : JsonBody.message(withDetail("400 Bad request", e));
            case CATALOG_UNAVAILABLE -> mlflow ? mlflowError("TEMPORARILY_UNAVAILABLE", CATALOG_DOWN)
                    : JsonBody.message("503 Service Unavailable - " + CATALOG_DOWN);
            case STORAGE_UNAVAILABLE -> mlflow ? mlflowError("TEMPORARILY_UNAVAILABLE", STORAGE_DOWN)
                    : JsonBody.message("503 Service Unavailable - " + STORAGE_DOWN);
        };
        body.send(response, status(e.reason()));
    }

    /** Writes the full error response for a request the HTTP layer rejected. */
    static void write(RejectedRequest e, RegistryHttpResponse response) throws IOException {
        JsonBody body = switch (e.problem()) {
            case NOT_FOUND -> JsonBody.message(e.detail().map(d -> "404 " + d + " Not Found").orElse("404 Not Found"));
            case INVALID_FILE_NAME -> new JsonBody().with("error", "file_name is invalid");
            case INVALID_PATH -> new JsonBody().with("error", "path is invalid");
            case BAD_REQUEST -> JsonBody.message(e.detail().map(d -> "400 Bad request - " + d).orElse("400 Bad request"));
            case METHOD_NOT_ALLOWED -> {
                response.header("Allow", ALLOW);
                yield JsonBody.message("405 Method Not Allowed");
            }
            case PATH_TOO_LONG -> JsonBody.message(e.detail().map(d -> "414 Request-URI Too Long - " + d)
                    .orElse("414 Request-URI Too Long"));
            case BODY_TOO_LARGE -> mlflowError("REQUEST_LIMIT_EXCEEDED", e.detail().orElse("request body too large"));
            case REQUEST_TIMEOUT -> {
                response.header("Connection", "close"); // the rest of the body is not waited for
                yield JsonBody.message(e.detail().map(d -> "408 Request Timeout - " + d).orElse("408 Request Timeout"));
            }
            case ENDPOINT_NOT_FOUND -> mlflowError("ENDPOINT_NOT_FOUND", e.detail().orElse("this endpoint is not implemented"));
        };
        body.send(response, status(e.problem()));
    }

    /**
     * Writes a wire-level rejection on an MLflow route: what means "no such thing" or "bad parameter" takes
     * MLflow's {@code error_code} shape there, so MLflow clients recognise it.
     */
    static void writeMlflow(RejectedRequest e, RegistryHttpResponse response) throws IOException {
        switch (e.problem()) {
            case NOT_FOUND -> mlflowError("RESOURCE_DOES_NOT_EXIST", e.detail().orElse("Not found")).send(response, 404);
            case INVALID_FILE_NAME, INVALID_PATH -> mlflowError("INVALID_PARAMETER_VALUE", "invalid artifact path")
                    .send(response, 400);
            case BAD_REQUEST, METHOD_NOT_ALLOWED, PATH_TOO_LONG, BODY_TOO_LARGE, REQUEST_TIMEOUT, ENDPOINT_NOT_FOUND ->
                    write(e, response);
        }
    }

    /** MLflow's error shape: {@code {"error_code": ..., "message": ...}}. */
    static JsonBody mlflowError(String code, String message) {
        return new JsonBody().with("error_code", code).with("message", message);
    }

    private static JsonBody invalidToken(RegistryHttpResponse response, String description) {
        response.header("WWW-Authenticate",
                REALM + ", error=\"invalid_token\", error_description=\"" + description + "\"");
        return new JsonBody().with("error", "invalid_token").with("error_description", description);
    }

    private static String withDetail(String status, RegistryException e) {
        return e.detail().map(d -> status + " - " + d).orElse(status);
    }

    /** Writes GitLab's 500 body. */
    public static void writeInternalError(RegistryHttpResponse response) throws IOException {
        JsonBody.message("500 Internal Server Error").send(response, 500);
    }
}
