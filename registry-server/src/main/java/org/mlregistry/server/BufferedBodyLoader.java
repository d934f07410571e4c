package org.mlregistry.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.mlregistry.servlet.BodyRate;

/**
 * Holds a request back from the worker threads until {@value #DISPATCH_BYTES} bytes of its body (or all of it)
 * have arrived, copying what arrives into memory without a thread, so that a client that trickles its upload
 * costs at most that buffer, never a thread. Jetty's own retaining loader keeps every network buffer a chunk
 * arrived in, which for a client sending a byte at a time is a buffer per byte; this one copies. A client below
 * the minimum data rate ({@link BodyRate}) once the grace period is over is answered 408 and closed, as
 * {@link MinimumReadRate} cuts it off once a request is dispatched.
 */
final class BufferedBodyLoader extends EagerContentHandler.ContentLoader implements Invocable.Task {

    /** Enough for every small upload and the first buffer of a large one; small next to the upload's own buffers. */
    static final int DISPATCH_BYTES = 64 * 1024;

    /** Creates one loader per request whose body is to be buffered. */
    static final class Factory implements EagerContentHandler.ContentLoaderFactory {

        @Override
        public @Nullable String getApplicableMimeType() {
            return null; // any content type
        }

        @Override
        public EagerContentHandler.ContentLoader newContentLoader(String contentType, String mimeType, Handler handler,
                                                                  Request request, Response response, Callback callback) {
            return new BufferedBodyLoader(handler, request, response, callback);
        }
    }

    private final Deque<Content.Chunk> copied = new ArrayDeque<>();
    private final AtomicBoolean decided = new AtomicBoolean();
    private final long started = System.nanoTime();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Scheduler.@Nullable Task deadline;

    private BufferedBodyLoader(Handler handler, Request request, Response response, Callback callback) {
        super(handler, request, response, callback);
    }

    @Override
    protected void load() {
        Scheduler scheduler = getRequest().getComponents().getScheduler();
        deadline = scheduler.schedule(this::checkRate, BodyRate.GRACE_SECONDS, TimeUnit.SECONDS);
        read(false);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** More content is available (Jetty calls this after {@code demand}). */
    @Override
    public void run() {
        read(true);
    }

    private void read(boolean execute) {
        while (!decided.get()) {
            Content.Chunk chunk = getRequest().read();
            if (chunk == null) {
                getRequest().demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                // the client broke off: the handler sees the failure where it reads, as without this loader
                copied.add(chunk);
                dispatch(execute);
                return;
            }
            boolean last = chunk.isLast();
            if (chunk.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
                copy.put(chunk.getByteBuffer()).flip();
                bytes.addAndGet(copy.remaining());
                copied.add(Content.Chunk.from(copy, last));
            } else if (last) {
                copied.add(Content.Chunk.EOF);
            }
            chunk.release(); // the network buffer goes back at once: copied, not retained
            if (last || bytes.get() >= DISPATCH_BYTES) {
                dispatch(execute);
                return;
            }
        }
    }

    private void dispatch(boolean execute) {
        if (!decided.compareAndSet(false, true)) {
            return;
        }
        Scheduler.Task pending = deadline;
        if (pending != null) {
            pending.cancel();
        }
        Request replay = new Request.Wrapper(getRequest()) {
            @Override
            public Content.Chunk read() {
                Content.Chunk next = copied.pollFirst();
                return next != null ? next : super.read();
            }
        };
        if (execute) {
            getRequest().getContext().execute(() -> handle(replay, getResponse(), getCallback()));
        } else {
            handle(replay, getResponse(), getCallback());
        }
    }

    /** Still waiting for a body at a rate below the minimum: 408 and close, freeing the buffer. */
    private void checkRate() {
        if (!BodyRate.tooSlow(bytes.get(), System.nanoTime() - started)) {
            deadline = getRequest().getComponents().getScheduler().schedule(this::checkRate, 1, TimeUnit.SECONDS);
            return;
        }
        if (decided.compareAndSet(false, true)) {
            copied.clear();
            Response.writeError(getRequest(), getResponse(), getCallback(), HttpStatus.REQUEST_TIMEOUT_408,
                    "the request body arrives below the minimum data rate");
        }
    }
}
