package org.mlregistry.server.config;

import java.net.URI;
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
 */
public record RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access, MetricsConfig metrics,
                             @Nullable URI publicUrl) {

    /** Without metrics, at the address it listens on. */
    public RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access) {
        this(storage, catalog, access, MetricsConfig.OFF, null);
    }
}
