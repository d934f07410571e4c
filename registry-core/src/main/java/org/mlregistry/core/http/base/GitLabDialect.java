package org.mlregistry.core.http.base;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.http.RegistryHttpResponse;

/**
 * GitLab's words for a refusal, which every route of the registry falls back to, as GitLab's own MLflow API does
 * for authentication: {@code {"message": "404 Not Found"}}, RFC 6750's {@code WWW-Authenticate} challenge and
 * OAuth error bodies for tokens, {@code {"error": ...}} for a bad file name.
 */
public final class GitLabDialect implements ErrorDialect {

    /** The dialect of the file route, whose methods are GET, HEAD and PUT. */
    public static final GitLabDialect FILES = new GitLabDialect("GET, HEAD, PUT, DELETE");

    static final String REALM = "Bearer realm=\"mlregistry\"";

    private final String allow;

    /** A dialect for routes whose methods are {@code allow} (for {@code Allow} on a 405). */
    public GitLabDialect(String allow) {
        this.allow = allow;
    }

    @Override
    public void write(ErrorRow row, Optional<String> detail, RegistryHttpResponse response) throws IOException {
        headers(row, detail, response);
        JsonBody body = switch (row.body()) {
            case MESSAGE -> JsonBody.message(row.gitlabMessage(detail));
            case ERROR -> new JsonBody().with("error", row.title());
            case OAUTH -> oauth(row);
            case OAUTH_SCOPE -> oauth(row).with("scope", detail.orElse(""));
            case MLFLOW -> mlflow(row, detail);
        };
        body.send(response, row.status());
    }

    /** The row's header, as every dialect sends it; {@code Allow} with this dialect's methods. */
    public void headers(ErrorRow row, Optional<String> detail, RegistryHttpResponse response) {
        switch (row.header()) {
            case NONE -> { }
            case CHALLENGE -> response.header("WWW-Authenticate", challenge(row, detail));
            case ALLOW_READS -> response.header("Allow", "GET, HEAD");
            case ALLOW_ROUTE -> response.header("Allow", allow);
            case CLOSE -> response.header("Connection", "close");
            case RETRY -> response.header("Retry-After", "1");
        }
    }

    private static String challenge(ErrorRow row, Optional<String> detail) {
        return switch (row.body()) {
            case OAUTH -> REALM + ", error=\"" + row.title() + "\", error_description=\"" + row.fixedText() + "\"";
            case OAUTH_SCOPE -> REALM + ", error=\"" + row.title() + "\", error_description=\"" + row.fixedText()
                    + "\", scope=\"" + detail.orElse("") + "\"";
            case MESSAGE, ERROR, MLFLOW -> REALM;
        };
    }

    private static JsonBody oauth(ErrorRow row) {
        return new JsonBody().with("error", row.title()).with("error_description", String.valueOf(row.fixedText()));
    }

    /** MLflow's shape, for the rows that have it on every route. */
    public static JsonBody mlflow(ErrorRow row, Optional<String> detail) {
        return new JsonBody().with("error_code", String.valueOf(row.mlflowCode())).with("message", row.mlflowMessage(detail));
    }
}
