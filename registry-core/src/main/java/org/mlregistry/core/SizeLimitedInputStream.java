package org.mlregistry.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through until more than a limit have been read, then refuses the upload. */
final class SizeLimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    SizeLimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public void close() {
        // the caller owns the underlying stream
    }

    /** The refusal of an upload over {@code max} bytes, declared or found while reading. */
    static RegistryException tooLarge(long max) {
        return new RegistryException(Refusal.FILE_TOO_LARGE, "File is too large (maximum " + max + " bytes)");
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge(limit);
        }
    }
}
