package org.mlregistry.core.memory;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable view of a byte array: what the in-memory store's files open to, and what a store
 * that keeps small files in memory can return from {@code ModelFile.open()}. The array is not copied.
 *
 * <p>Threading: safe for concurrent use (positioned reads are serialized).
 */
public final class ReadOnlyByteArrayChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private long position;
    private volatile boolean open = true;

    /** A channel over {@code bytes}, which the caller must not change afterwards. */
    public ReadOnlyByteArrayChannel(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws ClosedChannelException {
        ensureOpen();
        if (position >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - position);
        dst.put(bytes, (int) position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws ClosedChannelException {
        ensureOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws ClosedChannelException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws ClosedChannelException {
        ensureOpen();
        return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
