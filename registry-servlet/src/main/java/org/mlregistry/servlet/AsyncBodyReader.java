package org.mlregistry.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.BodyReceiver;

/**
 * Reads a request body into memory with Servlet non-blocking I/O: the container calls back as bytes arrive, so a
 * client that trickles its body holds a buffer, not a thread. At most {@code limit} bytes (more is
 * {@link BodyReceiver.Failure#TOO_LARGE}); a client still below {@link BodyRate#MIN_BYTES_PER_SECOND} once
 * {@link BodyRate#GRACE_SECONDS} have passed is cut off ({@link BodyReceiver.Failure#TOO_SLOW}). Exactly one outcome
 * reaches {@link Done}, on whichever thread decided it.
 */
final class AsyncBodyReader implements ReadListener {

    /** What happens once the body is in, or cannot be had. */
    interface Done {
        void received(byte[] body);

        void failed(BodyReceiver.Failure failure);
    }

    private final ServletInputStream in;
    private final int limit;
    private final Done done;
    private final ByteArrayOutputStream body;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final long started = System.nanoTime();
    private final byte[] chunk = new byte[8192];
    private volatile @Nullable ScheduledFuture<?> rateCheck;
    /** Bytes received so far; written by the container's callbacks (one at a time), read by the rate check. */
    private final AtomicLong received = new AtomicLong();

    private AsyncBodyReader(ServletInputStream in, int limit, ByteArrayOutputStream early, Done done) {
        this.in = in;
        this.limit = limit;
        this.done = done;
        this.body = early;
        this.received.set(early.size());
    }

    /**
     * Reads the rest of the body after {@code early} (what was already read) without a thread; the request must be
     * in asynchronous mode. Returns at once.
     */
    static void start(ServletInputStream in, int limit, ByteArrayOutputStream early, ScheduledExecutorService timer, Done done) {
        AsyncBodyReader reader = new AsyncBodyReader(in, limit, early, done);
        in.setReadListener(reader); // may decide at once, on this thread: the check below then finds it decided
        try {
            ScheduledFuture<?> check = timer.scheduleWithFixedDelay(reader::checkRate, BodyRate.GRACE_SECONDS, 1, TimeUnit.SECONDS);
            reader.rateCheck = check;
            if (reader.decided.get()) {
                check.cancel(false);
            }
        } catch (RejectedExecutionException stopping) {
            reader.decide(BodyReceiver.Failure.BROKEN); // the servlet is being destroyed
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!decided.get() && in.isReady()) {
            int n = in.read(chunk, 0, Math.min(chunk.length, limit + 1 - body.size()));
            if (n < 0) {
                return; // onAllDataRead follows
            }
            synchronized (body) {
                body.write(chunk, 0, n);
            }
            received.addAndGet(n);
            if (body.size() > limit) {
                decide(BodyReceiver.Failure.TOO_LARGE);
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (stopTimer()) {
            byte[] all;
            synchronized (body) {
                all = body.toByteArray();
            }
            done.received(all);
        }
    }

    @Override
    public void onError(Throwable t) {
        decide(BodyReceiver.Failure.of(t));
    }

    /** Below the minimum rate since the grace period ended: cut off. Runs on the timer's thread. */
    private void checkRate() {
        if (BodyRate.tooSlow(received.get(), System.nanoTime() - started)) {
            decide(BodyReceiver.Failure.TOO_SLOW);
        }
    }

    private void decide(BodyReceiver.Failure failure) {
        if (stopTimer()) {
            done.failed(failure);
        }
    }

    /** Claims the one outcome; false when another thread already has. */
    private boolean stopTimer() {
        if (!decided.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> check = rateCheck;
        if (check != null) {
            check.cancel(false);
        }
        return true;
    }
}
