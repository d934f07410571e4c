package org.mlregistry.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.RegistryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's model-file HTTP API and its MLflow-compatible model registry API over a {@link ModelRegistry},
 * independent of any container: route parsing on the raw path, credential extraction, the download and
 * upload exchanges, the catalog endpoints and every error body. A container adapter builds a {@link RegistryHttpExchange} and calls {@link #handle}.
 *
 * <pre>{@code
 * RegistryHttpHandler handler = new RegistryHttpHandler(registry);
 * handler.handle(exchange); // refusals are written as JSON; IOExceptions propagate
 * }</pre>
 *
 * <p>Threading: immutable and safe for concurrent use.
 */
public final class RegistryHttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    /** How often a download looks a file up again when it changes between lookup and open. */
    static final int MAX_LOOKUPS = 3;

    private final ModelRegistry registry;
    private final DownloadResponder downloads;
    private final MlflowHandler mlflow;
    private final HubHandler hub;
    private final FileRouteCache fileRoutes = new FileRouteCache();

    /** Serves {@code registry} with the system clock. */
    public RegistryHttpHandler(ModelRegistry registry) {
        this(registry, Clock.systemUTC());
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
        this.downloads = new DownloadResponder(Objects.requireNonNull(clock, "clock"),
                () -> ThreadLocalRandom.current().nextLong());
        MlflowHandler.Files files = new MlflowHandler.Files() {
            @Override
            public void serve(Route route, Caller caller, boolean head, boolean allowRedirect, RegistryHttpRequest request,
                              RegistryHttpResponse response) throws IOException {
                RegistryHttpHandler.this.serve(route, caller, head, allowRedirect, request, response);
            }

            @Override
            public void respond(ModelFile file, String fileName, boolean head, RegistryHttpRequest request,
                                RegistryHttpResponse response) throws IOException {
                downloads.respond(file, fileName, request, response, head);
            }

            @Override
            public void store(Route route, Caller caller, RegistryHttpRequest request) throws IOException {
                RegistryHttpHandler.this.store(route, caller, request);
            }
        };
        this.mlflow = new MlflowHandler(registry, files);
        this.hub = new HubHandler(registry, files, publicApi);
    }

    /** The registry's observer: the container adapter reports completed requests and downloads to it. */
    public RegistryObserver observer() {
        return registry.observer();
    }

    /**
     * Answers one exchange. Refusals become their JSON error response; an {@link IOException} from
     * storage before the response is committed propagates, for the container adapter to answer 500.
     */
    public void handle(RegistryHttpExchange exchange) throws IOException {
        RegistryHttpRequest request = exchange.request();
        RegistryHttpResponse response = exchange.response();
        if (request.method().equals("TRACE")) {
            // on no route: a container's TRACE echoes the request's headers, credentials included
            refuse(new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED), request, response);
            return;
        }
        // the file route first, from the paths parsed before: what a registry is asked for most
        FileRouteCache.Parsed known = fileRoutes.get(request.rawPath());
        if (known != null) {
            exchange.route(known.info());
            handleFile(known::route, request, response);
            return;
        }
        MlflowRoute mlflowRoute = MlflowRoute.match(request.rawPath());
        if (mlflowRoute != null) {
            exchange.route(mlflowRoute.info());
            handleMlflow(mlflowRoute, request, response);
            return;
        }
        HubRoute hubRoute = HubRoute.match(request.rawPath());
        if (hubRoute != null) {
            exchange.route(hubRoute.info());
            hub.handle(hubRoute, request, response);
            return;
        }
        List<String> segments = RouteParser.segments(request.rawPath());
        RouteInfo info = segments == null ? RouteInfo.UNMATCHED : RouteParser.info(segments);
        exchange.route(info);
        if (segments == null) {
            refuse(new RejectedRequest(RejectedRequest.Problem.NOT_FOUND), request, response); // whatever the method
            return;
        }
        handleFile(() -> {
            Route route = route(segments, "PUT".equals(request.method()));
            fileRoutes.put(request.rawPath(), new FileRouteCache.Parsed(info, route));
            return route;
        }, request, response);
    }

    /** Where a file request's route comes from: parsed now (and refused, maybe), or parsed before. */
    private interface RouteSource {
        Route route();
    }

    /** A request for the file route: method, then route, then credentials, each refusal as GitLab answers it. */
    private void handleFile(RouteSource source, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        try {
            String method = request.method();
            boolean head = "HEAD".equals(method);
            boolean put = "PUT".equals(method);
            if (!head && !put && !"GET".equals(method)) {
                throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
            Route route = source.route();
            Caller caller = CredentialExtractor.extract(request);
            if (put) {
                upload(route, caller, request, response);
            } else {
                download(route, caller, head, request, response);
            }
        } catch (ClientBodyException e) {
            unreadableBody(request, response, e);
        } catch (RegistryException e) {
            refused(request, response, e.reason().name(), e);
            ErrorResponses.write(e, response);
        } catch (RejectedRequest e) {
            refuse(e, request, response);
        }
    }

    private static void refuse(RejectedRequest e, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        refused(request, response, e.problem().name(), e);
        ErrorResponses.write(e, response);
    }

    private void handleMlflow(MlflowRoute route, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        RequestBodies.Guard guard = work -> answerMlflow(request, response, work);
        guard.run(() -> {
            if (route.kind() == MlflowRoute.Kind.UNKNOWN) {
                // answered at once: the newest MLflow client probes api/3.0/mlflow/server-info before every download
                throw new RejectedRequest(RejectedRequest.Problem.ENDPOINT_NOT_FOUND, "This endpoint is not implemented by mlregistry");
            }
            mlflow.handle(route, CredentialExtractor.extract(request), request, response, guard);
        });
    }

    /** Runs {@code work}, answering its refusals as MLflow clients expect them. */
    private static void answerMlflow(RegistryHttpRequest request, RegistryHttpResponse response, RequestBodies.Work work)
            throws IOException {
        try {
            work.run();
        } catch (ClientBodyException e) {
            unreadableBody(request, response, e);
        } catch (RegistryException e) {
            refused(request, response, e.reason().name(), e);
            ErrorResponses.write(e, response, true);
        } catch (RejectedRequest e) {
            refused(request, response, e.problem().name(), e);
            ErrorResponses.writeMlflow(e, response);
        }
    }

    /** The client broke its body off or framed it wrongly: a 400 if anyone is still listening, a debug line. */
    private static void unreadableBody(RegistryHttpRequest request, RegistryHttpResponse response, ClientBodyException e)
            throws IOException {
        LOG.debug("{} {}: {}", request.method(), request.rawPath(), e.getMessage());
        if (!response.isCommitted()) {
            ErrorResponses.write(e.timedOut()
                    ? new RejectedRequest(RejectedRequest.Problem.REQUEST_TIMEOUT, "the request body arrives below the minimum data rate")
                    : new RejectedRequest(RejectedRequest.Problem.BAD_REQUEST, "the request body could not be read to its end"),
                    response);
        }
    }

    private static void refused(RegistryHttpRequest request, RegistryHttpResponse response, String reason,
                                RuntimeException e) throws IOException {
        LOG.debug("refused {} {}: {}", request.method(), request.rawPath(), reason);
        if (response.isCommitted()) {
            throw new IOException("refusal after the response was committed: " + reason, e);
        }
    }

    /** A path too long to store names no file: absent for a read, refused (414) for an upload. */
    private static Route route(List<String> segments, boolean put) {
        try {
            return RouteParser.parse(segments);
        } catch (RejectedRequest e) {
            if (!put && e.problem() == RejectedRequest.Problem.PATH_TOO_LONG) {
                throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
            }
            throw e;
        }
    }

    private void download(Route route, Caller caller, boolean head, RegistryHttpRequest request,
                          RegistryHttpResponse response) throws IOException {
        serve(route, caller, head, true, request, response);
    }

    /** Answers GET or HEAD for a file; {@code allowRedirect} lets a store that signs URLs redirect. */
    private void serve(Route route, Caller caller, boolean head, boolean allowRedirect, RegistryHttpRequest request,
                       RegistryHttpResponse response) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Optional<ModelFile> found = registry.download(caller, route.project(), route.version(), route.file());
            ModelFile file = found.orElseThrow(() -> new RejectedRequest(RejectedRequest.Problem.NOT_FOUND));
            Optional<URI> redirect = allowRedirect ? file.redirect() : Optional.empty();
            if (redirect.isPresent()) {
                redirect(redirect.get(), response);
                return;
            }
            try {
                downloads.respond(file, route.file().fileName(), request, response, head);
                return;
            } catch (NoSuchFileException e) {
                // deleted, or replaced by a new upload, between lookup and open: nothing was sent yet, so
                // look again and answer for what is there now; give up as absent if it keeps changing
                if (attempt == MAX_LOOKUPS) {
                    throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
                }
            }
        }
    }

    /** GitLab's direct download from object storage: the caller was authorized, the store signed the URL. */
    private static void redirect(URI location, RegistryHttpResponse response) throws IOException {
        response.status(302);
        response.header("Location", location.toString());
        response.header("Cache-Control", "no-store"); // a signed URL expires; nobody may keep this answer
        response.contentLength(0);
        DownloadResponder.closeEmpty(response);
    }

    private void upload(Route route, Caller caller, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        store(route, caller, request);
        JsonBody.message("201 Created").send(response, 201);
    }

    /** Stores the request body as the route's file, with every refusal decided before the first body byte is read. */
    private void store(Route route, Caller caller, RegistryHttpRequest request) throws IOException {
        long size = RequestBodies.declaredLength(request);
        Declared declared = new Declared(size, DigestHeaders.sha256(request).orElse(null));
        // every refusal (credentials, permission, declared size) comes before the first read, so a client
        // that sent Expect: 100-continue gets it without sending the body
        try (InputStream body = new ClientBodyStream(request)) {
            registry.upload(caller, route.project(), route.version(), route.file(), declared, body);
        }
    }
}
