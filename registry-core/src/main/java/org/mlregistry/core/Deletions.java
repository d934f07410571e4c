package org.mlregistry.core;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.spi.PublishGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How versions are deleted without leaving files behind: the catalog deletes (and records each deleted version) while
 * no upload into those versions is being published ({@link DeletionLocks}); storage is cleaned right after, and what
 * could not be removed then is removed by {@link #removeDeletedFiles}. Uploads publish through {@link #gate}.
 *
 * <p>Threading: safe for concurrent use.
 */
final class Deletions {

    private static final Logger LOG = LoggerFactory.getLogger(Deletions.class);

    /** Deleted versions cleaned up per catalog query in {@link #removeDeletedFiles}. */
    static final int CLEAN_UP_BATCH = 100;

    private final RegistryContext context;
    private final DeletionLocks locks = new DeletionLocks();

    Deletions(RegistryContext context) {
        this.context = context;
    }

    /**
     * The gate an upload into a catalog version publishes through: the version must still exist (asked without the
     * cache), and its deletion waits while the file is published.
     */
    PublishGate gate(long projectId, long versionId) {
        return () -> {
            Lock read = locks.of(versionId).readLock();
            read.lock();
            boolean passed = false;
            try {
                if (!context.catalogHasNow(projectId, versionId)) {
                    throw RegistryContext.versionNotFound();
                }
                passed = true;
            } finally {
                if (!passed) {
                    read.unlock();
                }
            }
            return read::unlock;
        };
    }

    /** Runs a catalog deletion of {@code versionIds} while no upload into one of them is being published. */
    <T> T deleting(Collection<Long> versionIds, CatalogCalls.Call<T> deletion, String operation) {
        List<Lock> held = locks.forDeleting(versionIds);
        int taken = 0;
        try {
            for (Lock l : held) {
                l.lock();
                taken++;
            }
            return context.catalogCall(operation, deletion);
        } finally {
            for (int i = taken - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    /**
     * Removes what storage holds of a deleted version and drops its record; a failure is logged and the record kept,
     * for {@link #removeDeletedFiles} to finish. The version is forgotten by every cache first.
     *
     * @return whether storage holds nothing of it now
     */
    boolean removeFiles(DeletedVersion deleted) {
        context.knownVersions().forget(deleted.projectId(), deleted.versionId());
        context.listings().changed(deleted.versionId());
        try {
            if (context.uploads().isPresent()) {
                context.uploads().get().deleteVersion(deleted.projectId(), deleted.ref());
            }
            context.catalogCall("filesRemoved", () -> {
                context.catalog().filesRemoved(deleted.versionId());
                return Boolean.TRUE;
            });
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the files of deleted version {} of project {} yet (retried by the next clean-up): {}",
                    deleted.versionId(), deleted.projectId(), e.toString());
            return false;
        }
    }

    /** See {@link ModelRegistry#removeDeletedFiles}. */
    int removeDeletedFiles() {
        if (!context.hasCatalog()) {
            return 0;
        }
        int removed = 0;
        long after = -1;
        while (true) {
            long from = after;
            List<DeletedVersion> page = context.catalogCall("deletedVersions", () -> context.catalog().deletedVersions(from, CLEAN_UP_BATCH));
            for (DeletedVersion d : page) {
                removed += removeFiles(d) ? 1 : 0; // one that fails stays recorded for the next run, and is passed here
                after = Math.max(after, d.versionId());
            }
            if (page.size() < CLEAN_UP_BATCH) {
                return removed;
            }
        }
    }
}
