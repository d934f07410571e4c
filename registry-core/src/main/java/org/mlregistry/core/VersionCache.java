package org.mlregistry.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers that a model version exists in a project, so that the download path asks the catalog once in
 * a while rather than on every request. Only existence is cached, never absence, so a version created on
 * any node is served at once.
 *
 * <p>Invalidation rule: an entry lives {@link #TTL} at most; a version deleted through this node is
 * forgotten at once ({@link #forget}), one deleted through another node sharing the catalog is served
 * for at most {@link #TTL} more. Bounded to {@link #MAX_ENTRIES}, least recently used first out.
 *
 * <p>Threading: safe for concurrent use.
 */
final class VersionCache {

    /** How long a version is known to exist without asking the catalog again. */
    static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;

    private record Key(long projectId, long versionId) {
    }

    private final Clock clock;
    private final Map<Key, Instant> known = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    VersionCache(Clock clock) {
        this.clock = clock;
    }

    synchronized boolean knows(long projectId, long versionId) {
        Instant until = known.get(new Key(projectId, versionId));
        return until != null && clock.instant().isBefore(until);
    }

    synchronized void remember(long projectId, long versionId) {
        known.put(new Key(projectId, versionId), clock.instant().plus(TTL));
    }

    synchronized void forget(long projectId, long versionId) {
        known.remove(new Key(projectId, versionId));
    }
}
