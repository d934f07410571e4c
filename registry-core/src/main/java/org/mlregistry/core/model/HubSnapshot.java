package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model version seen as a Hugging Face repository revision: which version a revision named, its commit
 * id and every file in it. The commit id is derived from the version's id and its files' paths and
 * SHA-256s, so it changes whenever a file is added, replaced or removed, and names this content only.
 *
 * @param repo the repository id the client asked for
 * @param isPrivate whether the project is not public (the clients' {@code private} flag)
 * @param version the model version
 * @param commit 40 lower-case hex characters
 * @param files every file of the version, sorted by {@link HubFile#name()}
 */
public record HubSnapshot(HubRepoId repo, boolean isPrivate, ModelVersion version, String commit, List<HubFile> files) {
    public HubSnapshot {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(commit, "commit");
        files = files.stream().sorted(Comparator.comparing(HubFile::name)).toList();
    }

    /** The file at {@code path}, if the version has one there. */
    public Optional<HubFile> file(FilePath path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** When this revision last changed: its newest file, or the version itself when that is newer. */
    public Instant lastModified() {
        return files.stream().map(HubFile::lastModified).max(Comparator.naturalOrder())
                .filter(t -> t.isAfter(version.updated())).orElse(version.updated());
    }
}
