package org.mlregistry.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.model.FilePath;

/** The parts of an HTTP request the registry reads. */
public interface RegistryHttpRequest {

    /** The method, upper-case as sent ({@code GET}). */
    String method();

    /**
     * The path below the registry's mount point, still percent-encoded exactly as the client sent it and
     * without the query string: {@code /projects/grp%2Fproj/packages/ml_models/1/files/model.bin}.
     * A leading {@code /api/v4} is accepted too.
     */
    String rawPath();

    /** The raw query string without the {@code ?}, or {@code null} when there is none. */
    @Nullable String rawQuery();

    /** All values of the header {@code name} (case-insensitive), in order; empty when absent. */
    List<String> headers(String name);

    /** The request body; the container closes it. */
    InputStream content() throws IOException;

    /**
     * Told by the handler once the caller is authorized (who, with which kind of token, on which project); adapters keep
     * it for their access log. The default ignores it.
     */
    default void authorized(Authorized who) {
        // nothing to record
    }

    /** Told by the handler which file the request addresses, once its path is validated; for the access log. */
    default void file(FilePath path) {
        // nothing to record
    }

    /**
     * The API's base URL ({@code https://models.example.com/api/v4}) as the client addressed it, for the absolute links
     * an answer carries, when the adapter believes that view: behind a reverse proxy whose forwarded headers it was
     * told to trust. {@code null} (the default) when it does not, as the {@code Host} a client sends is its to choose.
     */
    default @Nullable URI clientBase() {
        return null;
    }

    /**
     * Reads the whole body into memory, at most {@code limit} bytes, and hands it to {@code receiver}, which then
     * answers the request. The registry calls it only after deciding every refusal that needs no body, and only for
     * a request that announces one. The default reads on the calling thread, blocking, and calls the receiver before
     * it returns. A container that can wait for a body without a thread (Servlet non-blocking I/O) overrides it: it
     * may return at once and call the receiver later on a thread of its own, completing the exchange when the
     * receiver's answer is done; and it reports a client sending below its minimum data rate as
     * {@link BodyReceiver.Failure#TOO_SLOW}.
     *
     * @throws IOException when the receiver's answer fails
     */
    default void readBody(int limit, BodyReceiver receiver) throws IOException {
        byte[] body;
        try (InputStream in = content()) {
            body = in.readNBytes(limit + 1);
        } catch (IOException | RuntimeException e) {
            receiver.failed(BodyReceiver.Failure.of(e));
            return;
        }
        if (body.length > limit) {
            receiver.failed(BodyReceiver.Failure.TOO_LARGE);
        } else {
            receiver.received(body);
        }
    }
}
