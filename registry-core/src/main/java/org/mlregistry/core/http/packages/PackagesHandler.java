package org.mlregistry.core.http.packages;

import java.io.IOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Packages;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.CredentialExtractor;
import org.mlregistry.core.http.base.ErrorBoundary;
import org.mlregistry.core.http.base.FileEndpoint;
import org.mlregistry.core.http.base.GitLabDialect;
import org.mlregistry.core.http.base.JsonBody;
import org.mlregistry.core.http.base.RawPaths;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.ProjectRef;

/**
 * GitLab's packages API for {@code ml_model} packages ({@link Packages}): {@code GET /projects/:id/packages} with
 * GitLab's filters, order and pagination headers ({@code X-Total}, {@code X-Total-Pages}, {@code X-Page},
 * {@code X-Per-Page}, {@code X-Next-Page}, {@code X-Prev-Page}, {@code Link}), {@code GET} and {@code DELETE} of
 * {@code /packages/:package_id}, {@code GET .../package_files} (paged alike) and {@code DELETE
 * .../package_files/:package_file_id}; a deletion answers 204. Refusals in GitLab's words ({@link GitLabDialect}).
 *
 * <p>Threading: safe for concurrent use.
 */
public final class PackagesHandler {

    private static final GitLabDialect DIALECT = new GitLabDialect("GET, HEAD, DELETE");

    private final ModelRegistry registry;
    private final @Nullable URI publicApi;

    /** Answers the packages API of {@code registry}; {@code publicApi}: see {@code RegistryHttpHandler}. */
    public PackagesHandler(ModelRegistry registry, @Nullable URI publicApi) {
        this.registry = registry;
        this.publicApi = publicApi;
    }

    /** Answers one request of the API. */
    public void handle(PackagesRoute route, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        new ErrorBoundary(DIALECT, request, response).run(() -> {
            String method = request.method();
            boolean read = method.equals("GET") || method.equals("HEAD");
            boolean delete = method.equals("DELETE");
            if (!read && !(delete && (route.kind() == PackagesRoute.Kind.PACKAGE || route.kind() == PackagesRoute.Kind.FILE))) {
                throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
            Caller caller = CredentialExtractor.extract(request);
            ProjectRef project = RawPaths.project(route.rawProject());
            Packages packages = registry.packages();
            if (delete) {
                Authorized right = registry.authorize(caller, project, route.kind() == PackagesRoute.Kind.PACKAGE ? Access.MAINTAIN
                        : Access.WRITE);
                request.authorized(right);
                if (route.kind() == PackagesRoute.Kind.PACKAGE) {
                    packages.delete(right, route.packageId());
                } else {
                    packages.deleteFile(right, route.packageId(), route.fileId());
                }
                FileEndpoint.deleted(response);
                return;
            }
            Authorized reading = registry.authorize(caller, project, Access.READ);
            request.authorized(reading);
            PackagesQuery query = PackagesQuery.parse(request.rawQuery());
            URI base = request.clientBase() != null ? request.clientBase() : publicApi;
            switch (route.kind()) {
                case LIST -> {
                    Packages.Page<Packages.ModelPackage> page = packages.list(reading, query.listing(), query.page(), query.perPage());
                    boolean deletable = mayDelete(caller, project);
                    paged(page, query, reading.project().id(), "/packages", response, base);
                    send(response, JsonBody.json(g -> {
                        g.writeStartArray();
                        for (Packages.ModelPackage p : page.items()) {
                            PackagesJson.pkg(g, p, reading.project(), deletable, base, false);
                        }
                        g.writeEndArray();
                    }));
                }
                case PACKAGE -> {
                    Packages.ModelPackage p = packages.get(reading, route.packageId());
                    boolean deletable = mayDelete(caller, project);
                    send(response, JsonBody.json(g -> PackagesJson.pkg(g, p, reading.project(), deletable, base, true)));
                }
                case FILES -> {
                    Packages.Page<Packages.PackageFile> page = packages.files(reading, route.packageId(), query.fileOrder(),
                            query.descending(), query.page(), query.perPage());
                    paged(page, query, reading.project().id(), "/packages/" + route.packageId() + "/package_files", response, base);
                    send(response, JsonBody.json(g -> PackagesJson.files(g, page.items())));
                }
                case FILE -> throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
        });
    }

    /** Whether the caller may delete packages (GitLab shows {@code delete_api_path} only then). */
    private boolean mayDelete(Caller caller, ProjectRef project) throws IOException {
        try {
            registry.authorize(caller, project, Access.MAINTAIN);
            return true;
        } catch (RegistryException notAMaintainer) {
            return false;
        }
    }

    /** GitLab's offset pagination headers ({@code Gitlab::Pagination::OffsetHeaderBuilder}). */
    private static void paged(Packages.Page<?> page, PackagesQuery query, long projectId, String path, RegistryHttpResponse response,
                              @Nullable URI base) {
        long pages = page.totalPages();
        String next = page.page() < pages ? Long.toString(page.page() + 1L) : "";
        String prev = page.page() > 1 ? Long.toString(Math.min(page.page() - 1L, pages)) : "";
        response.header("X-Per-Page", Integer.toString(page.perPage()));
        response.header("X-Page", Integer.toString(page.page()));
        response.header("X-Next-Page", next);
        response.header("X-Prev-Page", prev);
        response.header("X-Total", Long.toString(page.total()));
        response.header("X-Total-Pages", Long.toString(pages));
        // the path rebuilt from the project's id and fixed words: a link carries no text of the client's
        String url = (base == null ? RawPaths.API_PREFIX : base.toString()) + "/projects/" + projectId + path + "?";
        StringBuilder link = new StringBuilder();
        if (!prev.isEmpty()) {
            link.append('<').append(url).append(query.forPage(Long.parseLong(prev))).append(">; rel=\"prev\", ");
        }
        if (!next.isEmpty()) {
            link.append('<').append(url).append(query.forPage(Long.parseLong(next))).append(">; rel=\"next\", ");
        }
        link.append('<').append(url).append(query.forPage(1)).append(">; rel=\"first\", ");
        link.append('<').append(url).append(query.forPage(pages)).append(">; rel=\"last\"");
        response.header("Link", link.toString());
    }

    private static void send(RegistryHttpResponse response, byte[] json) throws IOException {
        JsonBody.send(response, 200, json);
    }
}
