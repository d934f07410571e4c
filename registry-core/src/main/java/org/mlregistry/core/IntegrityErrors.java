package org.mlregistry.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mlregistry.core.model.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs found missing from storage or holding other bytes than their name says, while a manifest lists them: each is
 * logged once as an integrity error, and the health check reports them until one is found whole again (restored from
 * a backup, or uploaded anew). Bounded: past {@value #MAX_REMEMBERED} the count stays and the set stops growing.
 *
 * <p>Threading: safe for concurrent use.
 */
final class IntegrityErrors {

    static final int MAX_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(IntegrityErrors.class);

    private final Set<Sha256> known = ConcurrentHashMap.newKeySet();

    /** Records that the blob is missing; logged the first time. */
    void missing(Sha256 sha256) {
        if (known.size() < MAX_REMEMBERED && known.add(sha256)) {
            LOG.error("integrity error: the blob {} is listed by a manifest but missing from storage; its files answer 404 "
                    + "until it is restored (mlregistry verify lists every such file)", sha256.hex());
        }
    }

    /** Records that the blob's bytes do not have its digest; logged the first time. */
    void corrupt(Sha256 sha256, Sha256 actual) {
        if (known.size() < MAX_REMEMBERED && known.add(sha256)) {
            LOG.error("integrity error: the blob {} holds bytes whose SHA-256 is {}; its files are not served", sha256.hex(),
                    actual.hex());
        }
    }

    /** The blob was found whole. */
    void whole(Sha256 sha256) {
        if (!known.isEmpty()) {
            known.remove(sha256);
        }
    }

    /** How many blobs are known to be missing or altered now. */
    int count() {
        return known.size();
    }
}
