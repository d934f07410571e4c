package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Sends an upload's bytes to the disk while the rest of it still arrives, so that the force before the file
 * is published waits for the last few megabytes only, not for the whole file. Left to itself, Linux starts
 * writing dirty pages back only once they make up a tenth of memory (gigabytes here): a 1 GiB upload then sat
 * in the page cache until its final {@code fsync}, which took as long as writing 1 GiB, after the body had
 * already taken as long to receive. Every {@value #EVERY} bytes written, a {@code fdatasync} of the file runs
 * on a background thread, one at a time, so the disk works while the network does.
 *
 * <p>A failed background sync is kept and thrown by {@link #finish}: Linux reports a write-back error to
 * each open file once, so the final force could otherwise succeed on a file whose bytes were lost.
 *
 * <p>Threading: one instance per copy, called from the copying thread only.
 */
final class EarlyWriteback {

    /** Bytes written between two background syncs. */
    static final long EVERY = 32L << 20;

    private static final ExecutorService SYNCERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mlregistry-upload-sync");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel channel;
    private Future<?> inFlight = CompletableFuture.completedFuture(null);
    private long syncedUpTo;
    private @Nullable IOException failure;

    EarlyWriteback(FileChannel channel) {
        this.channel = channel;
    }

    /** {@code total} bytes have been written so far: starts a background sync if one is due and none runs. */
    void written(long total) {
        if (total - syncedUpTo < EVERY || !inFlight.isDone()) {
            return;
        }
        collect();
        syncedUpTo = total;
        inFlight = SYNCERS.submit(() -> {
            channel.force(false);
            return null;
        });
    }

    /** Waits for the sync in flight; throws the first failure of any background sync. */
    void finish() throws IOException {
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing an upload");
        } catch (ExecutionException e) {
            keep(e.getCause());
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for nothing: a copy that failed for another reason must not wait for the disk. */
    void abandon() {
        inFlight.cancel(false);
    }

    private void collect() {
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            keep(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void keep(@Nullable Throwable cause) {
        if (failure == null) {
            failure = cause instanceof IOException io ? io : new IOException("background sync failed", cause);
        }
    }
}
