package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A file about to enter a version's manifest: its path, its blob's digest and size, who uploaded it and when.
 *
 * @param path where it goes in the version
 * @param sha256 the digest of its content (its blob)
 * @param size its length in bytes
 * @param uploadedBy who uploaded it (a user's name, or empty)
 * @param now when
 */
public record NewFile(FilePath path, Sha256 sha256, long size, String uploadedBy, Instant now) {
    public NewFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        Objects.requireNonNull(now, "now");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
