package org.mlregistry.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands lines to a sink on one background thread, so that request threads never wait for a logging
 * backend (a lock around standard error, a write per line): they only put the line in a bounded queue. When
 * the queue is full (the backend cannot keep up) lines are dropped and counted, and the count is logged,
 * rather than slowing every request down. As Jetty's own request log writes asynchronously.
 *
 * <p>Threading: {@link #accept} is safe from any thread; one daemon thread, started with the first line,
 * drains until {@link #close}.
 */
public final class AsyncLines implements Consumer<String>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncLines.class);
    /** Lines queued at most; more are dropped and counted. */
    public static final int CAPACITY = 65_536;
    /** How long the writer sleeps when nothing is queued: the most a line waits. */
    static final long IDLE_MILLIS = 20;

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<String> sink;
    private final String threadName;
    private volatile @Nullable Thread drainer;
    private boolean closed;

    /** Lines to {@code sink}, from a daemon thread named {@code threadName}. */
    public AsyncLines(Consumer<String> sink, String threadName) {
        this.sink = sink;
        this.threadName = threadName;
    }

    @Override
    public void accept(String line) {
        if (drainer == null) {
            start();
        }
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private synchronized void start() {
        if (drainer == null && !closed) {
            Thread t = new Thread(this::drain, threadName);
            t.setDaemon(true);
            t.start();
            drainer = t;
        }
    }

    /** Writes what is queued, then stops the thread (a web application being undeployed must not leave it). */
    @Override
    public synchronized void close() {
        closed = true;
        Thread t = drainer;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(this::write);
    }

    private void write(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.debug("the access log sink failed", e);
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>(1024);
        while (!Thread.currentThread().isInterrupted()) {
            // polled, not taken: a writer blocked in take() would be woken (a system call) by every line offered
            if (queue.drainTo(batch, 1024) == 0) {
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            batch.forEach(this::write);
            batch.clear();
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                LOG.warn("dropped {} access log lines: the logging backend could not keep up", lost);
            }
        }
    }
}
