package org.mlregistry.core.http;

import java.io.IOException;

/**
 * Reading the request body failed: the client left mid-upload or sent malformed framing (bad chunk sizes,
 * a body shorter than its {@code Content-Length}). A client's doing, not the server's: answered 400 when
 * someone is still there to read it, and logged at debug level without a stack trace.
 */
final class ClientBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientBodyException(Exception cause) {
        super("the request body could not be read: " + cause, cause);
    }
}
