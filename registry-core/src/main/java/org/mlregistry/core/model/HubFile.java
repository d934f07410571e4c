package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One file of a model version as Hugging Face clients see it: its path in the version, size, SHA-256
 * (the {@code ETag} and the client's blob name) and modification time.
 *
 * @param path where it lies in the version
 * @param size its length in bytes
 * @param sha256 its content digest
 * @param lastModified when it was last written
 */
public record HubFile(FilePath path, long size, Sha256 sha256, Instant lastModified) {
    public HubFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /** The path with {@code /} between its segments, as the client names files ({@code rfilename}). */
    public String name() {
        return String.join("/", path.segments());
    }
}
