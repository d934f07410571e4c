package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One file of a model version as its manifest in the catalog records it: the bytes are the blob named by
 * {@link #sha256()}, stored once however many files and versions hold them. A row is never changed: an upload over
 * an existing file is a new row with a new id, the old one kept in the version's history.
 *
 * @param id the row's id, unique in the catalog (GitLab's package file id)
 * @param path where it lies in the version
 * @param size its length in bytes
 * @param sha256 its content digest, the name of its blob
 * @param created when this content was uploaded at this path
 * @param uploadedBy who uploaded it (a user's name, or empty)
 */
public record ManifestFile(long id, FilePath path, long size, Sha256 sha256, Instant created, String uploadedBy) {
    public ManifestFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /** The path with {@code /} between its segments: how the catalog stores and sorts it. */
    public String name() {
        return String.join("/", path.segments());
    }

    /** The file as Hugging Face clients see it. */
    public HubFile hubFile() {
        return new HubFile(path, size, sha256, created);
    }
}
