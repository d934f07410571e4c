package org.mlregistry.core.http;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.http.base.CredentialExtractor;
import org.mlregistry.core.http.base.ErrorBoundary;
import org.mlregistry.core.http.base.ErrorTable;
import org.mlregistry.core.http.base.FileEndpoint;
import org.mlregistry.core.http.base.GitLabDialect;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.http.gitlab.FileRouteHandler;
import org.mlregistry.core.http.hub.HubHandler;
import org.mlregistry.core.http.hub.HubRoute;
import org.mlregistry.core.http.mlflow.MlflowHandler;
import org.mlregistry.core.http.mlflow.MlflowRoute;
import org.mlregistry.core.http.packages.PackagesHandler;
import org.mlregistry.core.http.packages.PackagesRoute;
import org.mlregistry.core.spi.RegistryObserver;

/**
 * The registry's HTTP protocols over a {@link ModelRegistry}, independent of any container: GitLab's model-file
 * route, GitLab's MLflow-compatible API with MLflow's artifact routes, and the Hugging Face endpoints. It only
 * dispatches: each protocol's handler parses its routes on the raw path, authorizes once, and reaches files through
 * the one file endpoint; every refusal is answered at one boundary from one error table, in the protocol's words. A
 * container adapter builds a {@link RegistryHttpExchange} and calls {@link #handle}.
 *
 * <pre>{@code
 * RegistryHttpHandler handler = new RegistryHttpHandler(registry);
 * handler.handle(exchange); // refusals are written as JSON; IOExceptions propagate
 * }</pre>
 *
 * <p>Threading: immutable and safe for concurrent use.
 */
public final class RegistryHttpHandler {

    /**
     * The headers a caller's credential can arrive in: a request with none of them is anonymous, and an anonymous
     * request never writes, so a container can refuse to wait for such a request's body before dispatching it.
     */
    public static final List<String> CREDENTIAL_HEADERS = CredentialExtractor.HEADERS;

    private final ModelRegistry registry;
    private final FileRouteHandler files;
    private final MlflowHandler mlflow;
    private final HubHandler hub;
    private final PackagesHandler packages;

    /** Serves {@code registry}; its clock supplies the {@code Date} header. */
    public RegistryHttpHandler(ModelRegistry registry) {
        this(registry, registry.clock());
    }

    /** Serves {@code registry}; {@code clock} supplies the {@code Date} header. Links it sends are relative. */
    public RegistryHttpHandler(ModelRegistry registry, Clock clock) {
        this(registry, clock, null);
    }

    /**
     * Serves {@code registry}; {@code clock} supplies the {@code Date} header. {@code publicApi} is where clients reach
     * the API ({@code https://models.example.com/api/v4}): links a client follows (a tree listing's next page) are
     * absolute URLs under it, as Hugging Face clients need; {@code null} makes them relative references. Never taken
     * from the request's {@code Host}, which the client chooses.
     */
    public RegistryHttpHandler(ModelRegistry registry, Clock clock, @Nullable URI publicApi) {
        this.registry = Objects.requireNonNull(registry, "registry");
        FileEndpoint endpoint = new FileEndpoint(registry, Objects.requireNonNull(clock, "clock"));
        this.files = new FileRouteHandler(endpoint);
        this.mlflow = new MlflowHandler(registry, endpoint);
        this.hub = new HubHandler(registry, endpoint, publicApi);
        this.packages = new PackagesHandler(registry, publicApi);
    }

    /** The registry's observer: the container adapter reports completed requests and downloads to it. */
    public RegistryObserver observer() {
        return registry.observer();
    }

    /**
     * Answers one exchange. Refusals become their JSON error response; an {@link IOException} from
     * storage before the response is committed propagates, for the container adapter to answer 500
     * ({@link #answerInternalError}).
     */
    public void handle(RegistryHttpExchange exchange) throws IOException {
        RegistryHttpRequest request = exchange.request();
        if (request.method().equals("TRACE")) {
            // on no route: a container's TRACE echoes the request's headers, credentials included
            refuse(RejectedRequest.Problem.METHOD_NOT_ALLOWED, exchange);
            return;
        }
        if (files.handle(exchange)) {
            return;
        }
        MlflowRoute mlflowRoute = MlflowRoute.match(request.rawPath());
        if (mlflowRoute != null) {
            exchange.route(mlflowRoute.info());
            mlflow.handle(mlflowRoute, request, exchange.response());
            return;
        }
        HubRoute hubRoute = HubRoute.match(request.rawPath());
        if (hubRoute != null) {
            exchange.route(hubRoute.info());
            hub.handle(hubRoute, request, exchange.response());
            return;
        }
        PackagesRoute packagesRoute = PackagesRoute.match(request.rawPath());
        if (packagesRoute != null) {
            exchange.route(packagesRoute.info());
            packages.handle(packagesRoute, request, exchange.response());
            return;
        }
        refuse(RejectedRequest.Problem.NOT_FOUND, exchange); // whatever the method
    }

    private static void refuse(RejectedRequest.Problem problem, RegistryHttpExchange exchange) throws IOException {
        exchange.route(RouteInfo.UNMATCHED);
        new ErrorBoundary(GitLabDialect.FILES, exchange.request(), exchange.response()).run(() -> {
            throw new RejectedRequest(problem);
        });
    }

    /**
     * Writes GitLab's 500 answer, {@code {"message": "500 Internal Server Error"}}, telling nothing of the failure:
     * for an adapter whose call to {@link #handle} failed before the response was committed.
     */
    public static void answerInternalError(RegistryHttpResponse response) throws IOException {
        GitLabDialect.FILES.write(ErrorTable.internalError(), Optional.empty(), response);
    }
}
