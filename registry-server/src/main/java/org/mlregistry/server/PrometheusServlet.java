package org.mlregistry.server;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Sha256;

/**
 * The bundled server's {@code /metrics}: every meter of its Prometheus registry (the registry's own, see
 * {@code MicrometerObserver}, and the JVM's) in Prometheus' text format. A scrape is rendered at most once a second
 * ({@link #CACHE}) and the same text served to every scrape within it: rendering costs about a hundred small
 * downloads, and a client polling it in a loop must not cost more. With a token configured, only a request that
 * presents it ({@code Authorization: Bearer <token>}, compared by its SHA-256 in constant time) is answered.
 *
 * <p>Threading: safe for concurrent requests.
 */
public final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** How long one rendering is served. */
    static final Duration CACHE = Duration.ofSeconds(1);

    @SuppressWarnings("ArrayRecordComponent") // never compared; the bytes are only written out
    private record Rendered(byte[] body, Instant at) {
    }

    private final transient PrometheusMeterRegistry meters;
    private final transient @Nullable Sha256 token;
    private final transient Clock clock;
    private transient volatile @Nullable Rendered last;

    /** Serves {@code meters}, to a scraper that presents the token whose SHA-256 is {@code token} (anyone when {@code null}). */
    public PrometheusServlet(PrometheusMeterRegistry meters, @Nullable Sha256 token, Clock clock) {
        this.meters = meters;
        this.token = token;
        this.clock = clock;
    }

    /** A Prometheus registry with the JVM's meters bound (memory, GC, threads, CPU, file descriptors), for the registry's own. */
    public static PrometheusMeterRegistry withJvmMeters() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        return meters;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorized(req.getHeader("Authorization"))) {
            byte[] refused = "{\"message\":\"401 Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            resp.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"mlregistry metrics\"");
            resp.setContentType("application/json");
            resp.setContentLength(refused.length);
            resp.getOutputStream().write(refused);
            return;
        }
        byte[] body = rendered();
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType(TEXT_FORMAT);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private boolean authorized(@Nullable String authorization) {
        Sha256 expected = token;
        if (expected == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(Sha256.ofSecret(authorization.substring(7).strip()).bytes(), expected.bytes());
    }

    private byte[] rendered() {
        Instant now = clock.instant();
        Rendered r = last;
        if (r == null || !now.isBefore(r.at().plus(CACHE))) {
            r = new Rendered(meters.scrape(TEXT_FORMAT).getBytes(StandardCharsets.UTF_8), now);
            last = r;
        }
        return r.body();
    }
}
