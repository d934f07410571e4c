package org.mlregistry.core.http.gitlab;

import java.io.IOException;
import java.util.List;
import org.mlregistry.core.http.RegistryHttpExchange;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.http.base.CredentialExtractor;
import org.mlregistry.core.http.base.ErrorBoundary;
import org.mlregistry.core.http.base.FileEndpoint;
import org.mlregistry.core.http.base.GitLabDialect;
import org.mlregistry.core.http.base.JsonBody;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.model.Caller;

/**
 * GitLab's model-file route, {@code /projects/:id/packages/ml_models/:model_version_id/files/(*path/):file_name}:
 * GET and HEAD download (a store that signs URLs may redirect, as GitLab's object storage does), PUT uploads and
 * answers {@code 201 {"message": "201 Created"}}, DELETE (an extension) removes the file and answers 204. Method, then route, then credentials are judged in that order, each
 * refusal as GitLab answers it ({@link GitLabDialect}); the file itself is the {@link FileEndpoint}'s.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class FileRouteHandler {

    private final FileEndpoint files;
    private final FileRouteCache routes = new FileRouteCache();

    /** Answers the file route with {@code files}. */
    public FileRouteHandler(FileEndpoint files) {
        this.files = files;
    }

    /** Answers the exchange when its path has the file route's shape; false, having done nothing, when it has not. */
    public boolean handle(RegistryHttpExchange exchange) throws IOException {
        String rawPath = exchange.request().rawPath();
        // the paths parsed before first: what a registry is asked for most
        FileRouteCache.Parsed known = routes.get(rawPath);
        if (known != null) {
            exchange.route(known.info());
            answer(exchange, put -> known.route());
            return true;
        }
        List<String> segments = RouteParser.segments(rawPath);
        if (segments == null) {
            return false;
        }
        RouteInfo info = RouteParser.info(segments);
        exchange.route(info);
        answer(exchange, put -> {
            Route route = RouteParser.parse(segments, put);
            routes.put(rawPath, new FileRouteCache.Parsed(info, route)); // parsed without a refusal: valid for every method
            return route;
        });
        return true;
    }

    /** Where a request's route comes from: parsed before, or parsed now for an upload or a read (and maybe refused). */
    private interface RouteSource {
        Route route(boolean put);
    }

    /** Method, then route, then credentials, each refusal as GitLab answers it; then the file endpoint. */
    private void answer(RegistryHttpExchange exchange, RouteSource source) throws IOException {
        RegistryHttpRequest request = exchange.request();
        RegistryHttpResponse response = exchange.response();
        new ErrorBoundary(GitLabDialect.FILES, request, response).run(() -> {
            String method = request.method();
            boolean head = "HEAD".equals(method);
            boolean put = "PUT".equals(method);
            boolean delete = "DELETE".equals(method);
            if (!head && !put && !delete && !"GET".equals(method)) {
                throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
            // a deletion names a file as an upload does: parsed with the upload's rules
            Route route = source.route(put || delete);
            Caller caller = CredentialExtractor.extract(request);
            if (put) {
                files.upload(caller, route.project(), route.version(), route.file(), request, true);
                JsonBody.message("201 Created").send(response, 201);
            } else if (delete) {
                if (files.delete(caller, route.project(), route.version(), route.file(), request).isEmpty()) {
                    throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
                }
                FileEndpoint.deleted(response);
            } else {
                files.download(caller, route.project(), route.version(), route.file(), true, head, request, response);
            }
        });
    }
}
