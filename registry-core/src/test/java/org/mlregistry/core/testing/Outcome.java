package org.mlregistry.core.testing;

import org.mlregistry.core.Refusal;

/**
 * What the permission table expects, with the HTTP status and the exact JSON body a GitLab client sees.
 * {@code %s} in a body stands for the target project's full path.
 */
public enum Outcome {
    OK(null, 200, null),
    CREATED(null, 201, "{\"message\":\"201 Created\"}"),
    UNAUTHORIZED(Refusal.UNAUTHORIZED, 401, "{\"message\":\"401 Unauthorized\"}"),
    EXPIRED(Refusal.TOKEN_EXPIRED, 401, "{\"error\":\"invalid_token\",\"error_description\":"
            + "\"Token is expired. You can either do re-authorization or token refresh.\"}"),
    REVOKED(Refusal.TOKEN_REVOKED, 401, "{\"error\":\"invalid_token\",\"error_description\":"
            + "\"Token was revoked. You have to re-authorize from the user.\"}"),
    SCOPE_READ(Refusal.INSUFFICIENT_SCOPE, 403, "{\"error\":\"insufficient_scope\",\"error_description\":"
            + "\"The request requires higher privileges than provided by the access token.\",\"scope\":\"api read_api\"}"),
    SCOPE_WRITE(Refusal.INSUFFICIENT_SCOPE, 403, "{\"error\":\"insufficient_scope\",\"error_description\":"
            + "\"The request requires higher privileges than provided by the access token.\",\"scope\":\"api\"}"),
    SCOPE_DEPLOY_READ(Refusal.INSUFFICIENT_SCOPE, 403, "{\"error\":\"insufficient_scope\",\"error_description\":"
            + "\"The request requires higher privileges than provided by the access token.\",\"scope\":\"read_package_registry\"}"),
    SCOPE_DEPLOY_WRITE(Refusal.INSUFFICIENT_SCOPE, 403, "{\"error\":\"insufficient_scope\",\"error_description\":"
            + "\"The request requires higher privileges than provided by the access token.\",\"scope\":\"write_package_registry\"}"),
    FORBIDDEN(Refusal.FORBIDDEN, 403, "{\"message\":\"403 Forbidden\"}"),
    JOB_NOT_ALLOWED(Refusal.FORBIDDEN, 403, "{\"message\":\"403 Forbidden - Authentication by CI/CD job token "
            + "not allowed from ci/other-source to %s.\"}"),
    DEPLOY_OTHER(Refusal.FORBIDDEN, 403, "{\"message\":\"403 Forbidden - Deploy token is not valid for this project\"}"),
    PROJECT_NOT_FOUND(Refusal.PROJECT_NOT_FOUND, 404, "{\"message\":\"404 Project Not Found\"}");

    private final Refusal refusal;
    private final int status;
    private final String body;

    Outcome(Refusal refusal, int status, String body) {
        this.refusal = refusal;
        this.status = status;
        this.body = body;
    }

    /** The refusal the facade throws, or {@code null} for success. */
    public Refusal refusal() {
        return refusal;
    }

    public int status() {
        return status;
    }

    /** The exact JSON body for {@code projectPath}, or {@code null} when the body is the file. */
    public String body(String projectPath) {
        return body == null ? null : String.format(body, projectPath);
    }
}
