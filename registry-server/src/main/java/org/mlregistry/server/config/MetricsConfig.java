package org.mlregistry.server.config;

import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Sha256;

/**
 * Whether and where the bundled server exposes Prometheus metrics at {@code /metrics}: {@code "metrics": true} on the
 * API's port, or {@code {"port": 9464, "tokenSha256": "<hex>"}} on a port of its own (bound to the same host) and/or
 * only for a scraper that sends {@code Authorization: Bearer <token>} (Prometheus' {@code authorization} setting).
 * The token is kept as its SHA-256, like every token of the configuration.
 *
 * @param enabled whether there are metrics at all
 * @param port the port of their own, 0 for any free one, or {@code null} to share the API's
 * @param token the SHA-256 of the token a scrape must present, or {@code null} for none
 */
public record MetricsConfig(boolean enabled, @Nullable Integer port, @Nullable Sha256 token) {

    /** No metrics. */
    public static final MetricsConfig OFF = new MetricsConfig(false, null, null);
    /** Metrics on the API's port, for anyone who can reach it. */
    public static final MetricsConfig ON = new MetricsConfig(true, null, null);
}
