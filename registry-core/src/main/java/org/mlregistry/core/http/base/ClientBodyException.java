package org.mlregistry.core.http.base;

import org.mlregistry.core.http.BodyReceiver;
import java.io.IOException;

/**
 * Reading the request body failed: the client left mid-upload or sent malformed framing (bad chunk sizes,
 * a body shorter than its {@code Content-Length}), or sent it so slowly that the container gave up on it. A
 * client's doing, not the server's: answered 400 (408 when it was too slow) when someone is still there to read
 * it, and logged at debug level without a stack trace.
 */
final class ClientBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientBodyException(Exception cause) {
        super("the request body could not be read: " + cause, cause);
    }

    /** Whether the container gave up waiting for the body (a timeout somewhere in the cause chain). */
    boolean timedOut() {
        Throwable cause = getCause();
        return cause != null && BodyReceiver.Failure.of(cause) == BodyReceiver.Failure.TOO_SLOW;
    }
}
