package org.mlregistry.core.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as the registry reads it: any failure of the container's stream becomes a
 * {@link ClientBodyException}, so that what the client broke is never mistaken for a storage failure
 * further down, where both arrive as {@link IOException}s.
 */
final class ClientBodyStream extends FilterInputStream {

    ClientBodyStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }
}
