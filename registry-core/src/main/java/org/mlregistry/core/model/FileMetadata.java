package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known of a stored file without reading it.
 *
 * @param size length in bytes
 * @param lastModified when the content last changed (second precision is enough for HTTP)
 */
public record FileMetadata(long size, Instant lastModified) {
    public FileMetadata {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
