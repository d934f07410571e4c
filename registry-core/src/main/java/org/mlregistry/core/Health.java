package org.mlregistry.core;

/**
 * What {@link ModelRegistry#health()} found: whether storage and the catalog answered, and how many blobs a manifest
 * lists were found missing or altered (integrity errors: those files are refused; the others serve, so the registry
 * stays healthy). A registry without a catalog reports its catalog as reachable, since nothing there can fail.
 */
public record Health(boolean storage, boolean catalog, int integrityErrors) {

    /** Storage and catalog as found, without integrity errors. */
    public Health(boolean storage, boolean catalog) {
        this(storage, catalog, 0);
    }

    /** Both answered. */
    public boolean healthy() {
        return storage && catalog;
    }
}
