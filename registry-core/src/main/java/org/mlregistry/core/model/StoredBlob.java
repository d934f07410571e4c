package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A blob as a blob store lists it: its name (the SHA-256 its bytes should have), its size and when it was stored.
 *
 * @param sha256 the blob's name
 * @param size its length in bytes
 * @param stored when it was written (or last confirmed), which a garbage collection's grace period counts from
 */
public record StoredBlob(Sha256 sha256, long size, Instant stored) {
    public StoredBlob {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(stored, "stored");
    }
}
