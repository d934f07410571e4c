package org.mlregistry.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Handles the requests that connections have pipelined behind others (a request other than an upload while its
 * connection already holds more bytes) at most {@code permits} at a time, in arrival order; the rest wait in a
 * queue without a thread, and every other request passes at once. A permit is held while the request is handled,
 * never while its answer waits for the client: every answer is written without a thread. Jetty answers a connection's pipelined requests
 * one after another on one thread for as long as the client's socket buffers take the answers (megabytes each on
 * loopback), so a few hundred connections that pipeline and never read put every thread of the pool to work at
 * once: on two cores a normal client then waited one to two and a half seconds behind about two hundred runnable
 * threads. Held to a few threads, the same work is done and a normal request finds a thread and a core at once.
 *
 * <p>Threading: safe for concurrent requests, like every Jetty handler; a waiting request is handled later on a
 * thread of the server's executor.
 */
final class PipelinedRequests extends Handler.Wrapper {

    private record Waiting(Request request, Response response, Callback callback) {
    }

    private final int permits;
    private final AtomicInteger handling = new AtomicInteger();
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    /** Pipelined requests are handled at most {@code permits} at a time. */
    PipelinedRequests(Handler next, int permits) {
        super(next);
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1");
        }
        this.permits = permits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!pipelinedBehind(request)) {
            return super.handle(request, response, callback);
        }
        if (clientGone(request)) {
            dropped(request, callback);
            return true;
        }
        Executor executor = request.getComponents().getExecutor();
        if (waiting.isEmpty() && tryAcquire()) {
            try {
                return super.handle(request, response, callback);
            } finally {
                release(executor);
            }
        }
        waiting.add(new Waiting(request, response, callback));
        startWaiting(executor);
        return true;
    }

    /**
     * A request whose connection already holds more bytes than its own body: the next requests. Uploads ({@code PUT}
     * with a body) are never queued here: they are long and guarded by the minimum data rate. For any other request
     * with a body (an MLflow request's JSON, read from that buffer while the permit is held) the buffer is measured
     * against what is left of the body; a body of unknown length counts as pipelined when anything is buffered, and
     * so does every body when the buffer cannot be measured (a Jetty that renamed what is read here).
     */
    private static boolean pipelinedBehind(Request request) {
        if (!(request.getConnectionMetaData().getConnection() instanceof HttpConnection http) || http.isRequestBufferEmpty()) {
            return false;
        }
        if (!BodyRouting.hasBody(request.getHeaders())) {
            return true;
        }
        if ("PUT".equals(request.getMethod())) {
            return false;
        }
        long body = http.getParser().getContentLength() - http.getParser().getContentRead();
        long buffered = buffered(http);
        return buffered < 0 || http.getParser().getContentLength() < 0 || buffered > body;
    }

    private static final @Nullable VarHandle REQUEST_BUFFER = requestBuffer();

    /** Jetty keeps what a connection has read but not parsed in a private field: read it, or learn that it cannot be. */
    private static @Nullable VarHandle requestBuffer() {
        try {
            return MethodHandles.privateLookupIn(HttpConnection.class, MethodHandles.lookup())
                    .findVarHandle(HttpConnection.class, "_requestBuffer", RetainableByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The bytes {@code http} holds unparsed, or -1 when that cannot be told. */
    private static long buffered(HttpConnection http) {
        VarHandle field = REQUEST_BUFFER;
        if (field == null) {
            return -1;
        }
        RetainableByteBuffer buffer = (RetainableByteBuffer) field.getVolatile(http);
        return buffer == null ? 0 : buffer.remaining();
    }

    /**
     * Whether the client of a pipelined request can no longer hear its answer: its connection is closed, its output is,
     * or a write of an answer before failed (Jetty keeps such a connection open, its write flusher failed). Jetty parses the requests a connection has buffered one after another
     * whatever happened to the answers before, so without this a client that pipelined a thousand searches and left
     * had every one of them run for nobody (found by an adversarial run: 1000 searches of 1000 models each, run for 15 s
     * after their 20 connections had closed; 5000 kept two cores busy for three minutes).
     */
    private static boolean clientGone(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        return !endPoint.isOpen() || endPoint.isOutputShutdown()
                || (endPoint instanceof AbstractEndPoint e && e.getWriteFlusher().isFailed());
    }

    /** Ends a request whose client is gone without running it; the connection goes with it. */
    private static void dropped(Request request, Callback callback) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new EofException("the client is gone"));
    }

    private boolean tryAcquire() {
        while (true) {
            int now = handling.get();
            if (now >= permits) {
                return false;
            }
            if (handling.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void release(Executor executor) {
        handling.decrementAndGet();
        startWaiting(executor);
    }

    /** Hands free permits to waiting requests, each on a thread of its own. */
    private void startWaiting(Executor executor) {
        while (!waiting.isEmpty() && tryAcquire()) {
            Waiting next = waiting.poll();
            if (next == null) { // taken by another thread between the check and the poll
                handling.decrementAndGet();
                continue;
            }
            try {
                executor.execute(() -> handleWaiting(next, executor));
            } catch (RejectedExecutionException stopping) {
                handling.decrementAndGet();
                refuseWhileStopping(next);
            }
        }
    }

    /**
     * A waiting request when the server stops and its executor takes no more work: 503 and the connection closed, as a
     * stopping Jetty answers, rather than the 500 and stack trace a failed callback gets (found by an adversarial run:
     * SIGTERM with pipelined searches queued logged 27 of them).
     */
    private static void refuseWhileStopping(Waiting w) {
        try {
            w.response().getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(w.request(), w.response(), w.callback(), HttpStatus.SERVICE_UNAVAILABLE_503);
        } catch (RuntimeException e) {
            w.callback().failed(new EofException("the server is stopping"));
        }
    }

    private void handleWaiting(Waiting w, Executor executor) {
        if (clientGone(w.request())) {
            try {
                dropped(w.request(), w.callback());
            } finally {
                release(executor);
            }
            return;
        }
        try {
            if (!super.handle(w.request(), w.response(), w.callback())) {
                Response.writeError(w.request(), w.response(), w.callback(), 404);
            }
        } catch (Throwable t) {
            w.callback().failed(t);
        } finally {
            release(executor);
        }
    }
}
