package org.mlregistry.servlet;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded pool of equally sized heap buffers for streaming bodies. Servlet 6.0 output streams take
 * {@code byte[]}, so the buffers are heap buffers; pooling keeps the allocation rate flat under many
 * concurrent downloads, and the bound keeps an idle server from holding memory it no longer needs.
 */
final class BufferPool {
    private final int bufferSize;
    private final BlockingQueue<ByteBuffer> free;

    BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    ByteBuffer acquire() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(bufferSize);
    }

    void release(ByteBuffer buffer) {
        if (buffer != null && buffer.capacity() == bufferSize) {
            free.offer(buffer); // dropped when the pool is full
        }
    }
}
