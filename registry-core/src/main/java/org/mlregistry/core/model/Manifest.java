package org.mlregistry.core.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A model version's files at one revision of its manifest. Revision 0 is the empty manifest of a new version;
 * every change (a file added, replaced or removed) makes the next, and the history keeps the earlier ones for as
 * long as the registry keeps history.
 *
 * @param versionId the model version
 * @param revision the manifest's revision, 0 before the first file
 * @param files its files, sorted by {@link ManifestFile#name()}
 */
public record Manifest(long versionId, long revision, List<ManifestFile> files) {
    public Manifest {
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative");
        }
        files = files.stream().sorted(Comparator.comparing(ManifestFile::name)).toList();
    }

    /** The file at {@code path}, if the manifest has one. */
    public Optional<ManifestFile> file(FilePath path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** The files as Hugging Face clients see them. */
    public List<HubFile> hubFiles() {
        return files.stream().map(ManifestFile::hubFile).toList();
    }
}
