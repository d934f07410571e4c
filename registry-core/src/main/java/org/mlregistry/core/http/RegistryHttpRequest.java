package org.mlregistry.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parts of an HTTP request the registry reads. */
public interface RegistryHttpRequest {

    /** The method, upper-case as sent ({@code GET}). */
    String method();

    /**
     * The path below the registry's mount point, still percent-encoded exactly as the client sent it and
     * without the query string: {@code /projects/grp%2Fproj/packages/ml_models/1/files/model.bin}.
     * A leading {@code /api/v4} is accepted too.
     */
    String rawPath();

    /**
     * The absolute URL the client asked for, without the query: for links a client follows (a listing's
     * next page). By default {@code http://localhost} and the {@link #rawPath}; containers know better.
     */
    default String requestUrl() {
        return "http://localhost" + rawPath();
    }

    /** The raw query string without the {@code ?}, or {@code null} when there is none. */
    @Nullable String rawQuery();

    /** All values of the header {@code name} (case-insensitive), in order; empty when absent. */
    List<String> headers(String name);

    /** The request body; the container closes it. */
    InputStream content() throws IOException;
}
