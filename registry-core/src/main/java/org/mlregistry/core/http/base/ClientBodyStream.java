package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpRequest;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * The request body as the registry reads it. The container's stream is opened on the first read, not
 * before: containers answer {@code Expect: 100-continue} when the stream is opened, so a request refused
 * for its credentials or declared size is refused without the client ever sending its body. And any
 * failure of the container's stream becomes a {@link ClientBodyException}, so that what the client broke
 * is never mistaken for a storage failure further down, where both arrive as {@link IOException}s.
 */
final class ClientBodyStream extends InputStream {

    private final RegistryHttpRequest request;
    private @Nullable InputStream in;

    ClientBodyStream(RegistryHttpRequest request) {
        this.request = request;
    }

    private InputStream in() throws IOException {
        InputStream open = in;
        if (open == null) {
            try {
                open = request.content();
            } catch (IOException | RuntimeException e) {
                throw new ClientBodyException(e);
            }
            in = open;
        }
        return open;
    }

    @Override
    public int read() throws IOException {
        InputStream open = in();
        try {
            return open.read();
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        InputStream open = in();
        try {
            return open.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        InputStream open = in();
        try {
            return open.skip(n);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    /** Closes the container's stream if it was opened; one never opened stays unopened. */
    @Override
    public void close() throws IOException {
        InputStream open = in;
        if (open != null) {
            open.close();
        }
    }
}
