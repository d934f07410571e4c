package org.mlregistry.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;
import java.util.Optional;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.FileMetadata;
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
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ModelRegistry registry;

    public RegistryHttpHandler(ModelRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry this handler serves. */
    public ModelRegistry registry() {
        return registry;
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
                download(route, credential, head, response);
            }
        } catch (RegistryException e) {
            LOG.debug("refused {} {}: {}", request.method(), request.rawPath(), e.reason());
            if (response.isCommitted()) {
                throw new IOException("refusal after the response was committed: " + e.reason(), e);
            }
            ErrorResponses.write(e, response);
        }
    }

    private void download(Route route, Credential credential, boolean head, RegistryHttpResponse response)
            throws IOException {
        Optional<ModelFile> found = registry.download(credential, route.project(), route.version(), route.file());
        ModelFile file = found.orElseThrow(() -> new RegistryException(Refusal.NOT_FOUND));
        FileMetadata meta = file.metadata();
        response.status(200);
        response.header("Content-Type", "application/octet-stream");
        response.header("Content-Length", Long.toString(meta.size()));
        response.header("Content-Disposition", "attachment; filename=\"" + route.file().fileName() + "\"");
        if (head) {
            try {
                response.body().close();
            } catch (IOException e) {
                throw new ClientDisconnectedException(e);
            }
            return;
        }
        try (SeekableByteChannel channel = file.open()) {
            OutputStream out = response.body();
            copy(channel, meta.size(), out);
        }
    }

    /** Copies exactly {@code length} bytes; a shorter file is an error, never a silently short body. */
    private static void copy(SeekableByteChannel channel, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        long remaining = length;
        while (remaining > 0) {
            buffer.clear().limit((int) Math.min(BUFFER_SIZE, remaining));
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("file shrank while being served: " + remaining + " bytes missing");
            }
            try {
                out.write(buffer.array(), 0, n);
            } catch (IOException clientGone) {
                LOG.debug("client went away after {} of {} bytes", length - remaining, length);
                return;
            }
            remaining -= n;
        }
    }

    private void upload(Route route, Credential credential, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        registry.checkUpload(credential, route.project());
        for (String declared : request.headers("Content-Length")) {
            try {
                if (Long.parseLong(declared.strip()) > registry.maxFileSizeBytes()) {
                    throw new RegistryException(Refusal.FILE_TOO_LARGE,
                            "File is too large (maximum " + registry.maxFileSizeBytes() + " bytes)");
                }
            } catch (NumberFormatException e) {
                throw new RegistryException(Refusal.BAD_REQUEST, "invalid Content-Length");
            }
        }
        try (InputStream body = request.content()) {
            registry.upload(credential, route.project(), route.version(), route.file(), body);
        }
        JsonResponses.send(response, 201, JsonBody.message("201 Created"));
    }
}
