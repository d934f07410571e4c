package org.mlregistry.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.mlregistry.servlet.BodyRate;

/**
 * Fails a request body's reads once the client sends below {@link BodyRate}: each time the application waits for
 * more of the body, a timer is set for the moment the average would fall below the minimum rate, and if no byte
 * has come by then the wait ends with a {@link TimeoutException}. A blocking read (an upload's stream) is cut off
 * this way as surely as a non-blocking one; Jetty's own {@code MinimumDataRateHandler} judges the rate only when
 * the application asks again, which a read blocked on a trickling client never does until the idle timeout, and
 * each byte resets that.
 *
 * <p>Threading: safe for concurrent requests, like every Jetty handler; a request's reads are one at a time.
 */
final class MinimumReadRate extends Handler.Wrapper {

    MinimumReadRate(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new RateRequest(request), response, callback);
    }

    /** A request whose waits for body content end at the rate's deadline. */
    private static final class RateRequest extends Request.Wrapper {
        private final long started = System.nanoTime();
        private final AtomicLong bytes = new AtomicLong();
        private volatile Content.@Nullable Chunk failure;

        RateRequest(Request request) {
            super(request);
        }

        @Override
        public Content.@Nullable Chunk read() {
            Content.Chunk failed = failure;
            if (failed != null) {
                return failed;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.hasRemaining()) {
                bytes.addAndGet(chunk.remaining());
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (failure != null) {
                demandCallback.run();
                return;
            }
            AtomicBoolean ran = new AtomicBoolean();
            Runnable once = () -> {
                if (ran.compareAndSet(false, true)) {
                    demandCallback.run();
                }
            };
            // when the average falls below the rate if nothing more comes: never before the grace period ends
            long due = Math.max(TimeUnit.SECONDS.toNanos(BodyRate.GRACE_SECONDS),
                    TimeUnit.SECONDS.toNanos(bytes.get()) / BodyRate.MIN_BYTES_PER_SECOND);
            long delay = Math.max(0, due - (System.nanoTime() - started));
            Scheduler.Task deadline = getComponents().getScheduler().schedule(() -> {
                if (!ran.get() && BodyRate.tooSlow(bytes.get(), System.nanoTime() - started)) {
                    failure = Content.Chunk.from(new TimeoutException("the request body arrives below the minimum data rate"));
                    once.run();
                }
            }, delay + TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            super.demand(() -> {
                deadline.cancel();
                once.run();
            });
        }
    }
}
