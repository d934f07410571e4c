package org.mlregistry.examples;

/**
 * The example server's validated configuration (see {@link ConfigParser} for the JSON form): storage and
 * catalog, opened once, and access, replaced by each reload.
 *
 * @param storage where files live
 * @param catalog where models and versions are kept
 * @param access who may do what
 * @param metrics whether the server exposes Prometheus metrics at {@code /metrics}
 */
public record RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access, boolean metrics) {

    /** Without metrics. */
    public RegistryConfig(StorageConfig storage, CatalogConfig catalog, AccessConfig access) {
        this(storage, catalog, access, false);
    }
}
