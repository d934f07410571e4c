package org.mlregistry.core.spi;

/**
 * Hears what the registry does, for metrics: completed requests, downloads and uploads in progress, digest
 * computations and catalog calls. Every method does nothing by default and {@link #NONE} is what a registry
 * uses unless told otherwise, so a host without metrics pays nothing; the {@code registry-metrics} module
 * implements it with Micrometer. Calls carry route templates and operation names, never a path, a query,
 * a header or a token.
 *
 * <p>Threading: called on request threads, concurrently; implementations must be fast and must not throw.
 */
public interface RegistryObserver {

    /** Observes nothing. */
    RegistryObserver NONE = new RegistryObserver() {
    };

    /**
     * A request was answered (its last body byte written, or the client gone): {@code route} is the route
     * template ({@code unmatched} when nothing matched), {@code bytesReceived} the request body bytes read.
     */
    default void requestCompleted(String method, String route, int status, long bytesReceived, long bytesSent,
                                  long durationNanos) {
    }

    /** A response body started streaming a file; {@link #downloadFinished()} follows exactly once. */
    default void downloadStarted() {
    }

    /** The download begun by {@link #downloadStarted()} ended, whole or not. */
    default void downloadFinished() {
    }

    /** An authorized upload started reading its body; {@link #uploadFinished()} follows exactly once. */
    default void uploadStarted() {
    }

    /** The upload begun by {@link #uploadStarted()} ended, stored or not. */
    default void uploadFinished() {
    }

    /**
     * The SHA-256 of a stored file that had none was computed over {@code bytes} bytes. Reported by the store
     * that hashes (only it knows a computation from a lookup): the file-system store does, when given the
     * observer through its builder.
     */
    default void digestComputed(long bytes, long durationNanos) {
    }

    /** A catalog call ({@code operation} is the {@link ModelCatalog} method's name) returned or failed. */
    default void catalogCalled(String operation, boolean failed, long durationNanos) {
    }
}
