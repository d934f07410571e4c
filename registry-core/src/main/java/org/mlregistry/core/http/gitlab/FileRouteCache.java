package org.mlregistry.core.http.gitlab;

import org.mlregistry.core.http.RouteInfo;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.util.BoundedCache;

/**
 * The file routes of recent raw paths, parsed: a registry is asked for the same few files over and over, and
 * splitting, decoding and validating their paths was a noticeable share of a small download's time. Only
 * paths that parsed without a refusal are kept (a refused one is judged afresh each time, as the method may
 * change the answer), short ones only, and at most {@value #MAX_ENTRIES}: the memory it can hold is bounded
 * whatever paths clients send.
 *
 * <p>Threading: safe for concurrent use.
 */
final class FileRouteCache {

    /** Longer paths are parsed every time. */
    static final int MAX_PATH = 512;
    static final int MAX_ENTRIES = 8192;

    /** A parsed file route and what the access log and metrics say of it. */
    record Parsed(RouteInfo info, Route route) {
    }

    private final BoundedCache<String, Parsed> parsed = new BoundedCache<>(MAX_ENTRIES);

    @Nullable Parsed get(String rawPath) {
        return rawPath.length() > MAX_PATH ? null : parsed.get(rawPath);
    }

    void put(String rawPath, Parsed route) {
        if (rawPath.length() <= MAX_PATH) {
            parsed.put(rawPath, route);
        }
    }

    int size() {
        return parsed.size();
    }
}
