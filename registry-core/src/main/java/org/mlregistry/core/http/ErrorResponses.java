package org.mlregistry.core.http;

import java.io.IOException;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;

/**
 * The one mapping from a {@link Refusal} to an HTTP status, headers and JSON body, with GitLab's exact
 * wording so that clients written for GitLab parse our errors unchanged.
 */
public final class ErrorResponses {

    static final String REALM = "Bearer realm=\"mlregistry\"";
    static final String EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    static final String REVOKED = "Token was revoked. You have to re-authorize from the user.";
    static final String SCOPE = "The request requires higher privileges than provided by the access token.";
    static final String ALLOW = "GET, HEAD, PUT";

    private ErrorResponses() {
    }

    /** The status code for {@code reason}. */
    public static int status(Refusal reason) {
        switch (reason) {
            case UNAUTHORIZED:
            case TOKEN_EXPIRED:
            case TOKEN_REVOKED:
                return 401;
            case INSUFFICIENT_SCOPE:
            case FORBIDDEN:
                return 403;
            case PROJECT_NOT_FOUND:
            case NOT_FOUND:
                return 404;
            case INVALID_FILE_NAME:
            case INVALID_PATH:
            case BAD_REQUEST:
                return 400;
            case METHOD_NOT_ALLOWED:
                return 405;
            case FILE_EXISTS:
                return 409;
            case FILE_TOO_LARGE:
                return 413;
            default:
                throw new IllegalStateException("unmapped refusal " + reason);
        }
    }

    /** Writes the full error response for {@code e}; the response must not be committed yet. */
    public static void write(RegistryException e, RegistryHttpResponse response) throws IOException {
        Refusal reason = e.reason();
        String detail = e.detail();
        JsonBody body;
        switch (reason) {
            case UNAUTHORIZED:
                response.header("WWW-Authenticate", REALM);
                body = JsonBody.message("401 Unauthorized");
                break;
            case TOKEN_EXPIRED:
            case TOKEN_REVOKED:
                String description = reason == Refusal.TOKEN_EXPIRED ? EXPIRED : REVOKED;
                response.header("WWW-Authenticate",
                        REALM + ", error=\"invalid_token\", error_description=\"" + description + "\"");
                body = new JsonBody().with("error", "invalid_token").with("error_description", description);
                break;
            case INSUFFICIENT_SCOPE:
                response.header("WWW-Authenticate", REALM + ", error=\"insufficient_scope\", error_description=\""
                        + SCOPE + "\", scope=\"" + detail + "\"");
                body = new JsonBody().with("error", "insufficient_scope").with("error_description", SCOPE)
                        .with("scope", detail);
                break;
            case PROJECT_NOT_FOUND:
                body = JsonBody.message("404 Project Not Found");
                break;
            case FORBIDDEN:
                body = JsonBody.message(detail == null ? "403 Forbidden" : "403 Forbidden - " + detail);
                break;
            case NOT_FOUND:
                body = JsonBody.message(detail == null ? "404 Not Found" : "404 " + detail + " Not Found");
                break;
            case INVALID_FILE_NAME:
                body = new JsonBody().with("error", "file_name is invalid");
                break;
            case INVALID_PATH:
                body = new JsonBody().with("error", "path is invalid");
                break;
            case BAD_REQUEST:
                body = JsonBody.message(detail == null ? "400 Bad request" : "400 Bad request - " + detail);
                break;
            case METHOD_NOT_ALLOWED:
                response.header("Allow", ALLOW);
                body = JsonBody.message("405 Method Not Allowed");
                break;
            case FILE_EXISTS:
                body = JsonBody.message("409 Conflict - " + (detail == null ? "File already exists" : detail));
                break;
            case FILE_TOO_LARGE:
                body = JsonBody.message("413 Request Entity Too Large" + (detail == null ? "" : " - " + detail));
                break;
            default:
                throw new IllegalStateException("unmapped refusal " + reason);
        }
        JsonResponses.send(response, status(reason), body);
    }

    /** Writes GitLab's 500 body. */
    public static void writeInternalError(RegistryHttpResponse response) throws IOException {
        JsonResponses.send(response, 500, JsonBody.message("500 Internal Server Error"));
    }
}
