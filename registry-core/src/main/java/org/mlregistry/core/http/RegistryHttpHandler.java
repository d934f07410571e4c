package org.mlregistry.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.spi.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's model-file HTTP API over a {@link ModelRegistry}, independent of any container: route
 * parsing on the raw path, credential extraction, the download and upload exchanges and every error
 * body. A container adapter builds a {@link RegistryHttpExchange} and calls {@link #handle}.
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

    private final ModelRegistry registry;
    private final DownloadResponder downloads;

    /** Serves {@code registry} with the system clock. */
    public RegistryHttpHandler(ModelRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    /** Serves {@code registry}; {@code clock} supplies the {@code Date} header. */
    public RegistryHttpHandler(ModelRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.downloads = new DownloadResponder(Objects.requireNonNull(clock, "clock"),
                () -> ThreadLocalRandom.current().nextLong());
    }

    /**
     * Answers one exchange. Refusals become their JSON error response; an {@link IOException} from
     * storage before the response is committed propagates, for the container adapter to answer 500.
     */
    public void handle(RegistryHttpExchange exchange) throws IOException {
        RegistryHttpRequest request = exchange.request();
        RegistryHttpResponse response = exchange.response();
        try {
            if (!RouteParser.matchesShape(request.rawPath())) {
                throw new RegistryException(Refusal.NOT_FOUND);
            }
            String method = request.method();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method) && !"PUT".equals(method)) {
                throw new RegistryException(Refusal.METHOD_NOT_ALLOWED);
            }
            Route route = RouteParser.parse(request.rawPath());
            Credential credential = CredentialExtractor.extract(request);
            if ("PUT".equals(method)) {
                upload(route, credential, request, response);
            } else {
                download(route, credential, head, request, response);
            }
        } catch (RegistryException e) {
            LOG.debug("refused {} {}: {}", request.method(), request.rawPath(), e.reason());
            if (response.isCommitted()) {
                throw new IOException("refusal after the response was committed: " + e.reason(), e);
            }
            ErrorResponses.write(e, response);
        }
    }

    private void download(Route route, Credential credential, boolean head, RegistryHttpRequest request,
                          RegistryHttpResponse response) throws IOException {
        Optional<ModelFile> found = registry.download(credential, route.project(), route.version(), route.file());
        ModelFile file = found.orElseThrow(() -> new RegistryException(Refusal.NOT_FOUND));
        downloads.respond(file, route.file().fileName(), request, response, head);
    }

    private void upload(Route route, Credential credential, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        long declared = -1;
        for (String value : request.headers("Content-Length")) {
            try {
                declared = Math.max(declared, Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                throw new RegistryException(Refusal.BAD_REQUEST, "invalid Content-Length");
            }
        }
        try (InputStream body = request.content()) {
            registry.upload(credential, route.project(), route.version(), route.file(), declared, body);
        }
        JsonResponses.send(response, 201, JsonBody.message("201 Created"));
    }
}
