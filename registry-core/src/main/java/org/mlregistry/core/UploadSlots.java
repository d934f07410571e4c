package org.mlregistry.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many uploads may be in progress at once, in all and per caller. An upload holds a thread of a blocking container
 * for as long as its body arrives, and a client with write access can start hundreds and then send slowly (found by an
 * adversarial run: 400 uploads stalled after {@code 100 Continue} held 180 of the server's threads, and a health check
 * waited 10 to 58 s); bounded, the rest of the pool answers everyone else. An upload over a bound is refused before
 * its body is read ({@link Refusal#TOO_MANY_UPLOADS}, 429, which MLflow clients retry).
 *
 * <p>Threading: safe for concurrent use.
 */
final class UploadSlots {

    private final int total;
    private final int perCaller;
    private final AtomicInteger inProgress = new AtomicInteger();
    /** Callers with uploads in progress; a caller's entry goes when its last upload ends, so the map stays small. */
    private final ConcurrentHashMap<String, Integer> byCaller = new ConcurrentHashMap<>();

    UploadSlots(int total, int perCaller) {
        this.total = total;
        this.perCaller = perCaller;
    }

    /** A slot for an upload of {@code caller}, to {@link #release} when it ends. */
    void acquire(String caller) {
        if (inProgress.incrementAndGet() > total) {
            inProgress.decrementAndGet();
            throw new RegistryException(Refusal.TOO_MANY_UPLOADS, "at most " + total + " uploads are received at once; try again");
        }
        boolean[] taken = new boolean[1];
        byCaller.compute(caller, (k, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < perCaller;
            return taken[0] ? now + 1 : n;
        });
        if (!taken[0]) {
            inProgress.decrementAndGet();
            throw new RegistryException(Refusal.TOO_MANY_UPLOADS,
                    "at most " + perCaller + " uploads of one caller are received at once; try again");
        }
    }

    /** Ends an upload of {@code caller}. */
    void release(String caller) {
        byCaller.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
        inProgress.decrementAndGet();
    }

    /** Uploads in progress now. */
    int inProgress() {
        return inProgress.get();
    }
}
