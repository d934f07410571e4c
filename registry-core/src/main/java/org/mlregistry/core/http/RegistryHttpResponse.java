package org.mlregistry.core.http;

import java.io.IOException;
import java.io.OutputStream;

/** The parts of an HTTP response the registry writes. */
public interface RegistryHttpResponse {

    /** Sets the status code; only before {@link #body()}. */
    void status(int code);

    /** Sets (replaces) a header; only before {@link #body()}. */
    void header(String name, String value);

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
