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

    /** True once status and headers have been sent. */
    boolean isCommitted();
}
