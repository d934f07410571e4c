package org.mlregistry.core.http;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded pool of equally sized buffers for streaming bodies, direct or heap. Pooling keeps the
 * allocation rate flat under many concurrent downloads (and direct buffers are expensive to create); the
 * bound keeps an idle server from holding memory it no longer needs. For container adapters.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class BufferPool {
    private final int bufferSize;
    private final boolean direct;
    private final BlockingQueue<ByteBuffer> free;

    /** At most {@code maxPooled} buffers of {@code bufferSize} bytes kept for reuse, direct or on the heap. */
    public BufferPool(int bufferSize, int maxPooled, boolean direct) {
        this.bufferSize = bufferSize;
        this.direct = direct;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    /** A cleared buffer, reused or new. */
    public ByteBuffer acquire() {
        ByteBuffer b = free.poll();
        if (b != null) {
            return b.clear();
        }
        return direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
    }

    /** Gives a buffer back for reuse (one of another size or kind is dropped). */
    public void release(ByteBuffer buffer) {
        if (buffer != null && buffer.capacity() == bufferSize && buffer.isDirect() == direct) {
            free.offer(buffer); // dropped when the pool is full
        }
    }

    /** How many buffers are waiting to be reused (tests). */
    public int pooled() {
        return free.size();
    }
}
