package org.mlregistry.core;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps the deletion of a version and the publishing of uploads into it apart on this node: an upload holds its
 * version's read lock from the check that the version still exists to the moment its file is visible (a rename, a
 * final copy); a deletion holds the write locks of the versions it deletes while the catalog deletes them. So every
 * upload either published before the deletion (and its file is removed with the version) or sees the version gone
 * (and stores nothing). Striped by version id: {@value #STRIPES} fair locks, so a deletion waits only for the
 * publishing steps of its own versions (and the few that share their stripes), and is not starved by a stream of
 * uploads. A deletion of several versions takes their stripes in ascending order, so two never wait on each other.
 *
 * <p>Threading: safe for concurrent use.
 */
final class DeletionLocks {

    static final int STRIPES = 256;

    private final ReadWriteLock[] stripes = new ReadWriteLock[STRIPES];

    DeletionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock(true);
        }
    }

    /** The lock of {@code versionId}'s stripe. */
    ReadWriteLock of(long versionId) {
        return stripes[stripe(versionId)];
    }

    /** The write locks of {@code versionIds}' stripes, each once, in the order they are to be taken. */
    List<Lock> forDeleting(Collection<Long> versionIds) {
        return versionIds.stream().map(DeletionLocks::stripe).distinct().sorted().map(i -> stripes[i].writeLock()).toList();
    }

    private static int stripe(long versionId) {
        return (int) Math.floorMod(versionId, (long) STRIPES);
    }
}
