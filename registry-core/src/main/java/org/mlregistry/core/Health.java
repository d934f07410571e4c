package org.mlregistry.core;

/**
 * What {@link ModelRegistry#health()} found: whether storage and the catalog answered. A registry without
 * a catalog reports its catalog as reachable, since nothing there can fail.
 */
public record Health(boolean storage, boolean catalog) {

    /** Both answered. */
    public boolean healthy() {
        return storage && catalog;
    }
}
