package org.mlregistry.core.http;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, {@code key=value} separated by spaces, on the logger {@value #LOGGER} (route it to
 * its own file or pipeline): method, route template, project, model version, status, bytes sent, duration
 * and client address. Never the raw path or query, never a header: no token can reach it.
 *
 * <pre>method=GET route=/projects/:id/packages/ml_models/:model_version_id/files/*path project=5 version=1
 * status=200 bytes=14 duration_ms=3 client=127.0.0.1</pre>
 *
 * <p>For container adapters; the servlet module writes one per exchange. Threading: safe for concurrent use.
 */
public final class AccessLog {

    /** The SLF4J logger the lines go to by default. */
    public static final String LOGGER = "org.mlregistry.access";

    private final Consumer<String> sink;
    private final BooleanSupplier enabled;
    private final @Nullable AutoCloseable closer;

    /** Lines to {@code sink}, on the calling thread. */
    public AccessLog(Consumer<String> sink) {
        this(sink, () -> true, null);
    }

    private AccessLog(Consumer<String> sink, BooleanSupplier enabled, @Nullable AutoCloseable closer) {
        this.sink = sink;
        this.enabled = enabled;
        this.closer = closer;
    }

    /**
     * Lines to SLF4J at INFO, when that level is on for {@value #LOGGER}, written by a background thread
     * ({@link AsyncLines}) so that no request waits for the logging backend.
     */
    public static AccessLog toSlf4j() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        AsyncLines lines = new AsyncLines(log::info, "mlregistry-access-log");
        return new AccessLog(lines, log::isInfoEnabled, lines);
    }

    /** Writes what is pending and stops the background writer, if any (the servlet is being destroyed). */
    public void close() {
        if (closer != null) {
            try {
                closer.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(AccessLog.class).debug("closing the access log failed", e);
            }
        }
    }

    /** Whether lines are wanted at all: when not, a request costs no line building. */
    public boolean enabled() {
        return enabled.getAsBoolean();
    }

    /** One line for a request: {@code client} is its address; anything but a method or an address becomes {@code -}. */
    public void log(String method, RouteInfo route, int status, long bytes, long durationNanos, String client) {
        sink.accept("method=" + token(method) + " route=" + route.template() + " project=" + route.project() + " version="
                + route.version() + " status=" + status + " bytes=" + bytes + " duration_ms=" + durationNanos / 1_000_000
                + " client=" + token(client));
    }

    /** Upper- and lower-case letters, digits and {@code .:-} only: a method or an address, never free text. */
    private static String token(String s) {
        return s.isEmpty() || !s.chars().allMatch(c -> (Character.isLetterOrDigit(c) && c < 128) || c == '.' || c == ':' || c == '-')
                ? "-" : s;
    }
}
