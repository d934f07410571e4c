package org.mlregistry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlregistry.core.spi.RegistryObserver;

/**
 * Records what the registry does as Micrometer meters, so that whatever registry the host already exports
 * (Prometheus, OTLP, JMX, ...) carries them. Names, in Micrometer's dotted form (Prometheus renders dots as
 * underscores and adds the unit):
 *
 * <ul>
 *   <li>{@value #REQUESTS} timer, tags {@code method}, {@code route} (the route template, {@code unmatched} when
 *       nothing matched), {@code status}: requests counted and timed until their last byte;</li>
 *   <li>{@value #SENT} and {@value #RECEIVED} counters in bytes, tag {@code route}: body bytes;</li>
 *   <li>{@value #DOWNLOADS_ACTIVE} and {@value #UPLOADS_ACTIVE} gauges: bodies streaming now;</li>
 *   <li>{@value #DIGESTS} timer and {@value #DIGESTED} counter in bytes: SHA-256 computed for files
 *       that had none;</li>
 *   <li>{@value #CATALOG_CALLS} timer, tags {@code operation}, {@code outcome} ({@code ok}, {@code failed}).</li>
 * </ul>
 *
 * <p>Every tag value comes from a small fixed set (methods other than the seven the API knows are
 * {@code OTHER}), so no client can grow the number of series.
 *
 * <p>Threading: safe for concurrent use, as Micrometer's meters are.
 */
public final class MicrometerObserver implements RegistryObserver {

    /** Meter names; see the class comment. */
    public static final String REQUESTS = "mlregistry.requests";
    public static final String SENT = "mlregistry.sent";
    public static final String RECEIVED = "mlregistry.received";
    public static final String DOWNLOADS_ACTIVE = "mlregistry.downloads.active";
    public static final String UPLOADS_ACTIVE = "mlregistry.uploads.active";
    public static final String DIGESTS = "mlregistry.digests";
    public static final String DIGESTED = "mlregistry.digested";
    public static final String CATALOG_CALLS = "mlregistry.catalog.calls";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS");

    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Counter> sent;
    private final Meter.MeterProvider<Counter> received;
    private final Meter.MeterProvider<Timer> catalogCalls;
    private final Timer digests;
    private final Counter digested;
    /** Meters by their tags: found with one map lookup per request instead of building and sorting tags. */
    private final ConcurrentMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> sentByRoute = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> receivedByRoute = new ConcurrentHashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();

    private record RequestKey(String method, String route, int status) {
    }
    private final AtomicInteger uploads = new AtomicInteger();

    /** Registers the meters in {@code meters}. */
    public MicrometerObserver(MeterRegistry meters) {
        Objects.requireNonNull(meters, "meters");
        requests = Timer.builder(REQUESTS).description("Requests answered, by method, route template and status")
                .withRegistry(meters);
        sent = Counter.builder(SENT).baseUnit("bytes").description("Response body bytes sent").withRegistry(meters);
        received = Counter.builder(RECEIVED).baseUnit("bytes").description("Request body bytes read").withRegistry(meters);
        catalogCalls = Timer.builder(CATALOG_CALLS).description("Model catalog calls, by operation and outcome")
                .withRegistry(meters);
        digests = Timer.builder(DIGESTS).description("SHA-256 digests computed for files stored without one").register(meters);
        digested = Counter.builder(DIGESTED).baseUnit("bytes").description("Bytes read to compute digests").register(meters);
        meters.gauge(DOWNLOADS_ACTIVE, downloads);
        meters.gauge(UPLOADS_ACTIVE, uploads);
    }

    @Override
    public void requestCompleted(String method, String route, int status, long bytesReceived, long bytesSent,
                                 long durationNanos) {
        String m = method(method);
        RequestKey key = new RequestKey(m, route, status);
        Timer timer = requestTimers.get(key);
        if (timer == null) {
            timer = requestTimers.computeIfAbsent(key,
                    k -> requests.withTags("method", k.method(), "route", k.route(), "status", Integer.toString(k.status())));
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
        if (bytesSent > 0) {
            sentByRoute.computeIfAbsent(route, r -> sent.withTag("route", r)).increment((double) bytesSent);
        }
        if (bytesReceived > 0) {
            receivedByRoute.computeIfAbsent(route, r -> received.withTag("route", r)).increment((double) bytesReceived);
        }
    }

    @Override
    public void downloadStarted() {
        downloads.incrementAndGet();
    }

    @Override
    public void downloadFinished() {
        downloads.decrementAndGet();
    }

    @Override
    public void uploadStarted() {
        uploads.incrementAndGet();
    }

    @Override
    public void uploadFinished() {
        uploads.decrementAndGet();
    }

    @Override
    public void digestComputed(long bytes, long durationNanos) {
        digests.record(durationNanos, TimeUnit.NANOSECONDS);
        digested.increment((double) bytes);
    }

    @Override
    public void catalogCalled(String operation, boolean failed, long durationNanos) {
        catalogCalls.withTags("operation", operation, "outcome", failed ? "failed" : "ok")
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }
}
