package org.mlregistry.servlet;

/**
 * The minimum rate at which a client must send a request body the registry is waiting for: below
 * {@value #MIN_BYTES_PER_SECOND} bytes a second on average, once {@value #GRACE_SECONDS} seconds have passed, it is
 * answered 408 and its connection closed. A body read without a thread costs only its buffer meanwhile; the rate
 * bounds how long even that is held. The bundled server applies the same rate to the bodies its Jetty buffers
 * before dispatch and to blocking reads.
 */
public final class BodyRate {

    /** Bytes a second a body must average. */
    public static final long MIN_BYTES_PER_SECOND = 1024;
    /** Seconds before the rate is first judged: a client's first bytes may take a moment. */
    public static final long GRACE_SECONDS = 10;

    private BodyRate() {
    }

    /** Whether {@code bytes} received in {@code elapsedNanos} are below the rate, once the grace period is over. */
    public static boolean tooSlow(long bytes, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        return seconds >= GRACE_SECONDS && bytes < MIN_BYTES_PER_SECOND * seconds;
    }
}
