package org.mlregistry.servlet;

import org.mlregistry.core.http.BufferPool;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.mlregistry.core.http.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a {@link ResponseBody} with Servlet non-blocking I/O: the container calls back when the socket
 * can take more, so a slow client holds a buffer and a file handle, not a thread. The file is closed and
 * the buffer returned as soon as the body is done, the client goes away, or the container gives up.
 */
final class AsyncBodyWriter implements WriteListener, AsyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncBodyWriter.class);

    private final ResponseBody body;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final BufferPool pool;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final LongConsumer done;
    /**
     * Bytes put into the buffer so far; what was written is this less what the buffer still holds. Counted so because a
     * container that takes the buffer itself ({@code write(ByteBuffer)}) may consume it after the call returns.
     */
    private long filled;
    /** Back in the pool once {@link #finished}; never touched after that. */
    private final ByteBuffer buffer;

    private AsyncBodyWriter(ResponseBody body, AsyncContext async, ServletOutputStream out, BufferPool pool, LongConsumer done) {
        this.done = done;
        this.body = body;
        this.async = async;
        this.out = out;
        this.pool = pool;
        this.buffer = pool.acquire().flip(); // empty: nothing pending
    }

    /**
     * Starts streaming; returns at once. The request must be in async mode, without a container timeout (the
     * connection's idle timeout bounds a stalled client instead). {@code done} receives the number of bytes written,
     * once, when the body is complete or abandoned; the writer completes the async context.
     */
    static void start(ResponseBody body, AsyncContext async, ServletOutputStream out, BufferPool pool, LongConsumer done) {
        AsyncBodyWriter writer = new AsyncBodyWriter(body, async, out, pool, done);
        async.addListener(writer);
        out.setWriteListener(writer);
    }

    @Override
    public void onWritePossible() {
        try {
            while (!finished.get() && out.isReady()) {
                if (!buffer.hasRemaining()) {
                    buffer.clear();
                    boolean more;
                    try {
                        more = body.fill(buffer);
                    } catch (IOException e) {
                        LOG.warn("reading the file failed mid-response; aborting it: {}", e.toString());
                        finish();
                        return;
                    }
                    buffer.flip();
                    if (!more) {
                        finish();
                        return;
                    }
                    filled += buffer.remaining();
                }
                int n = buffer.remaining();
                if (buffer.isDirect()) {
                    ByteBufferWrites.write(out, buffer);
                } else {
                    out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
                    buffer.position(buffer.position() + n);
                }
            }
        } catch (IOException e) {
            onError(e);
        } catch (RuntimeException e) {
            LOG.warn("streaming a download failed; aborting it", e);
            finish();
        }
    }

    @Override
    public void onError(Throwable t) {
        LOG.debug("client went away during a download: {}", t.toString());
        finish();
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            body.close();
        } catch (IOException e) {
            LOG.debug("closing the file failed", e);
        }
        long written = filled - buffer.remaining();
        pool.release(buffer);
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed the request itself (error or timeout)
        }
        done.accept(written);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
