package org.mlregistry.core.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The parts of an HTTP response the registry writes. The framing headers are typed
 * ({@link #contentLength(long)}, {@link #contentType(String)}) so an adapter hands them to its container
 * as such instead of parsing strings back.
 */
public interface RegistryHttpResponse {

    /** Sets the status code; only before {@link #body()} or {@link #send}. */
    void status(int code);

    /** Sets (replaces) a header other than the two typed ones; only before the body. */
    void header(String name, String value);

    /** Sets {@code Content-Type}; only before the body. */
    void contentType(String mediaType);

    /** Sets {@code Content-Length}; only before the body. */
    void contentLength(long bytes);

    /** The body stream; commits status and headers. The container closes it. */
    OutputStream body() throws IOException;

    /**
     * Streams {@code body} as the whole response body and completes the response; takes ownership of the
     * body and closes it when done or failed. May return before the body is sent (asynchronous
     * containers); failures after that are the adapter's to log.
     *
     * @throws ClientDisconnectedException when the client is gone and the adapter found out synchronously
     */
    void send(ResponseBody body) throws IOException;

    /** True once status and headers have been sent. */
    boolean isCommitted();
}
