package org.mlregistry.core.http;

import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.HubSnapshot;

/**
 * Refusals on the Hugging Face endpoints, in the form {@code huggingface_hub} maps to its own errors: the
 * {@code X-Error-Code} header ({@code RepoNotFound}, {@code RevisionNotFound}, {@code EntryNotFound}; HEAD
 * answers have no body, so the header carries the error) with {@code X-Error-Message}, and on GET a JSON
 * body {@code {"error": ...}}. Statuses are the file route's. A missing entry names the commit it is
 * missing from, which the client records. Exhaustive switches, as in {@link ErrorResponses}.
 */
final class HubErrors {

    static final String REPO_NOT_FOUND = "RepoNotFound";
    static final String REVISION_NOT_FOUND = "RevisionNotFound";
    static final String ENTRY_NOT_FOUND = "EntryNotFound";

    private HubErrors() {
    }

    static void write(RegistryException e, RegistryHttpResponse response) throws IOException {
        String detail = e.detail().orElse("");
        switch (e.reason()) {
            case UNAUTHORIZED -> {
                response.header("WWW-Authenticate", ErrorResponses.REALM);
                send(response, 401, REPO_NOT_FOUND, "Repository not found, or a valid token is needed to see it");
            }
            case TOKEN_EXPIRED -> send(response, 401, REPO_NOT_FOUND, ErrorResponses.EXPIRED);
            case TOKEN_REVOKED -> send(response, 401, REPO_NOT_FOUND, ErrorResponses.REVOKED);
            case PROJECT_NOT_FOUND, RESOURCE_DOES_NOT_EXIST -> send(response, 404, REPO_NOT_FOUND, "Repository not found");
            case REVISION_NOT_FOUND -> send(response, 404, REVISION_NOT_FOUND, detail.isEmpty() ? "Invalid rev id" : detail);
            case INSUFFICIENT_SCOPE -> send(response, 403, null, ErrorResponses.SCOPE);
            case FORBIDDEN -> send(response, 403, null, "403 Forbidden");
            case CATALOG_UNAVAILABLE -> send(response, 503, null, ErrorResponses.CATALOG_DOWN);
            case STORAGE_UNAVAILABLE -> send(response, 503, null, ErrorResponses.STORAGE_DOWN);
            case INVALID_PARAMETER_VALUE -> send(response, 400, null, detail.isEmpty() ? "invalid request" : detail);
            // refusals of writes, which these read-only endpoints never make
            case READ_ONLY, FILE_EXISTS, PATH_CONFLICT, CHECKSUM_MISMATCH, FILE_TOO_LARGE, PATH_TOO_LONG,
                 INSUFFICIENT_STORAGE, RESOURCE_ALREADY_EXISTS ->
                    send(response, ErrorResponses.status(e.reason()), null, e.reason().name());
        }
    }

    /** {@code snapshot}: the revision, when it was resolved before the request was refused. */
    static void write(RejectedRequest e, RegistryHttpResponse response, @Nullable HubSnapshot snapshot) throws IOException {
        int status = ErrorResponses.status(e.problem());
        switch (e.problem()) {
            case NOT_FOUND -> {
                if (snapshot != null) {
                    response.header("X-Repo-Commit", snapshot.commit());
                }
                send(response, status, ENTRY_NOT_FOUND, "Entry not found");
            }
            case INVALID_FILE_NAME -> send(response, status, null, "file_name is invalid");
            case INVALID_PATH -> send(response, status, null, "path is invalid");
            case METHOD_NOT_ALLOWED -> {
                response.header("Allow", "GET, HEAD");
                send(response, status, null, "405 Method Not Allowed");
            }
            case BAD_REQUEST, PATH_TOO_LONG, BODY_TOO_LARGE, REQUEST_TIMEOUT, ENDPOINT_NOT_FOUND ->
                    send(response, status, null, e.detail().orElse(e.problem().name()));
        }
    }

    private static void send(RegistryHttpResponse response, int status, @Nullable String code, String message)
            throws IOException {
        if (code != null) {
            response.header("X-Error-Code", code);
        }
        response.header("X-Error-Message", message);
        new JsonBody().with("error", message).send(response, status);
    }
}
