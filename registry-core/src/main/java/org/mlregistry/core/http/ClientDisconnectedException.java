package org.mlregistry.core.http;

import java.io.IOException;

/**
 * Writing the response failed because the client went away. That is normal for downloads (a user
 * pressed Ctrl-C, a resumable client gave up), so container adapters log it at debug level, never as an
 * error.
 */
public final class ClientDisconnectedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ClientDisconnectedException(IOException cause) {
        super("client disconnected: " + cause.getMessage(), cause);
    }
}
