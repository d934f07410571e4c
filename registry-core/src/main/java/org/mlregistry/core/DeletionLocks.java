package org.mlregistry.core;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps a project's version deletions and the publishing of uploads into it apart on this node: an upload holds its
 * project's read lock from the check that its version still exists to the moment its file is visible (a rename, a
 * final copy); a deletion holds the write lock while the catalog deletes. So every upload either published before
 * the deletion (and its file is removed with the version) or sees the version gone (and stores nothing). Striped by
 * project: {@value #STRIPES} fair locks, so a deletion waits only for the publishing steps of its stripe, and is not
 * starved by a stream of uploads.
 *
 * <p>Threading: safe for concurrent use.
 */
final class DeletionLocks {

    static final int STRIPES = 64;

    private final ReadWriteLock[] stripes = new ReadWriteLock[STRIPES];

    DeletionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock(true);
        }
    }

    /** The lock of {@code projectId}'s stripe. */
    ReadWriteLock of(long projectId) {
        return stripes[(int) Math.floorMod(projectId, (long) STRIPES)];
    }
}
