package org.mlregistry.examples;

/**
 * The example server's validated configuration (see {@link ConfigParser} for the JSON form), in its two
 * parts: storage, opened once, and access, replaced by each reload.
 *
 * @param storage where files live
 * @param access who may do what
 */
public record RegistryConfig(StorageConfig storage, AccessConfig access) {
}
