package org.mlregistry.server.config;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The bundled server's validated configuration (see {@link ConfigParser} for the JSON form): storage and
 * catalog, opened once, and access, replaced by each reload.
 *
 * @param storage where files live
 * @param catalog where models and versions are kept
 * @param access who may do what
 * @param metrics whether and where the server exposes Prometheus metrics at {@code /metrics}
 * @param publicUrl where clients reach this server ({@code https://models.example.com}), for the absolute links it
 *     sends them; {@code null} for the address it listens on
 * @param drain how long a stop (SIGTERM) lets running requests, downloads above all, finish before it cuts them
 * @param listen TLS and whether a proxy's forwarded headers are believed
 * @param accessLog where the access log goes, in which format
 * @param history how long manifests' history is kept, and the garbage collection of blobs (with a catalog)
 * @param web whether the web interface is served at {@code /}, and its sessions
 */
public record RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access, MetricsConfig metrics,
                             @Nullable URI publicUrl, Duration drain, ListenConfig listen, AccessLogConfig accessLog,
                             HistoryConfig history, WebConfig web) {

    /** How long a stop waits for running requests when the configuration does not say. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

    /** With the default drain time, plain HTTP, no proxy headers believed, the access log to the logger. */
    public RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access, MetricsConfig metrics,
                          @Nullable URI publicUrl) {
        this(storage, catalog, access, metrics, publicUrl, DEFAULT_DRAIN, ListenConfig.PLAIN, AccessLogConfig.DEFAULT, HistoryConfig.DEFAULT,
                WebConfig.DEFAULT);
    }

    /**
     * Whether {@code other} differs from this configuration only in what a reload applies (the access rules): every
     * other setting is read once, at start.
     */
    public boolean sameStartSettings(RegistryConfig other) {
        return equals(new RegistryConfig(other.storage, other.catalog, access, other.metrics, other.publicUrl, other.drain, other.listen,
                other.accessLog, other.history, other.web));
    }

    /** Without metrics, at the address it listens on. */
    public RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access) {
        this(storage, catalog, access, MetricsConfig.OFF, null);
    }
}
