package org.mlregistry.core.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;

/**
 * The files of model versions as a catalog keeps them: a manifest per version (path, size, SHA-256, who and when per
 * file), its revisions kept as history, and the lock per blob that makes storing and collecting blobs safe with several
 * nodes. A {@link ModelCatalog} that also implements this, given a {@link BlobStore}, makes the registry keep every
 * version's files as manifests and blobs. Every change is one transaction; every change of one version's manifest is
 * serialized with the others and with the version's deletion (which removes its manifest and history).
 *
 * <p>Refusals are {@link org.mlregistry.core.RegistryException}s: {@code RESOURCE_DOES_NOT_EXIST} (no such version),
 * {@code FILE_EXISTS}, {@code PATH_CONFLICT}. The core test-jar's {@code ManifestCatalogContract} is what every
 * catalog passes.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface ManifestCatalog {

    /** One revision of one version's manifest: what a Hugging Face commit id names. */
    record Revision(long versionId, long revision) {
    }

    /** A step on storage taken inside a catalog transaction, while the blob's lock is held. */
    @FunctionalInterface
    interface StorageStep {
        void run() throws IOException;
    }

    /** The version's current manifest; empty when there is no such version. */
    Optional<Manifest> manifest(long versionId) throws IOException;

    /**
     * The revision of the version's current manifest, without its files: what a cache of manifests checks before it
     * answers. The default reads the whole manifest; a database answers from the version's row.
     */
    default Optional<Long> revision(long versionId) throws IOException {
        return manifest(versionId).map(Manifest::revision);
    }

    /** The current file at {@code path} of the version; empty when there is none (or no such version). */
    Optional<ManifestFile> findFile(long versionId, FilePath path) throws IOException;

    /** Whether files of the version's current manifest lie below {@code path} (it names a directory there). */
    boolean isDirectory(long versionId, FilePath path) throws IOException;

    /**
     * Puts {@code file} at its path in the version's manifest, replacing the file there or refusing as
     * {@code overwrite} says, in one transaction: the version is locked (a concurrent change of its manifest or its
     * deletion waits), the path checked ({@code PATH_CONFLICT} when a part of it is a file or it is a directory), the
     * blob locked and {@code place} run (it makes sure storage holds the blob), then the row written and a new revision
     * made. Content equal to what the path holds changes nothing and makes no revision (the row there is returned).
     *
     * @return the file's row
     */
    ManifestFile putFile(long versionId, NewFile file, FileOverwrite overwrite, StorageStep place) throws IOException;

    /**
     * Puts {@code file} in the manifest only if its path holds nothing: what adopting a file of the directory layout
     * does (a later upload to the path must win). {@code place} runs as for {@link #putFile}.
     *
     * @return whether it was put
     */
    boolean adoptFile(long versionId, NewFile file, StorageStep place) throws IOException;

    /**
     * Removes the file at {@code path} from the manifest (a new revision; the row stays in history).
     *
     * @return whether there was one
     */
    boolean removeFile(long versionId, FilePath path, Instant now) throws IOException;

    /** The version's manifest at {@code revision}, while history keeps it; empty when it does not. */
    Optional<Manifest> manifestAt(long versionId, long revision) throws IOException;

    /** Records that {@code commitId} names the revision, so that {@link #findCommit} finds it later. */
    void nameCommit(Revision revision, String commitId) throws IOException;

    /** The newest kept revision of one of {@code versionIds} named {@code commitId}. */
    Optional<Revision> findCommit(Collection<Long> versionIds, String commitId) throws IOException;

    /**
     * Forgets the revisions superseded before {@code supersededBefore}, and the file rows only they held.
     *
     * @return how many revisions were forgotten
     */
    int forgetHistory(Instant supersededBefore) throws IOException;

    /**
     * Collects the blob if no manifest or kept revision refers to it: in one transaction that holds the blob's lock
     * (so no {@link #putFile} of it runs meanwhile), runs {@code delete} and forgets the blob.
     *
     * @return whether it was unreferenced (and {@code delete} ran)
     */
    boolean collectBlob(Sha256 sha256, StorageStep delete) throws IOException;

    /**
     * Runs {@code step} in a transaction holding the blob's lock, the one uploads and collections of that content take:
     * what verification's quarantine of a corrupt blob runs under, so that no upload of the same content publishes
     * meanwhile.
     */
    void underBlobLock(Sha256 sha256, StorageStep step) throws IOException;

    /** Whether a manifest or a kept revision refers to the blob. */
    boolean referenced(Sha256 sha256) throws IOException;

    /** The versions of every project with ids above {@code afterVersionId}, at most {@code limit}, by id: a page. */
    List<ModelVersion> versionsAfter(long afterVersionId, int limit) throws IOException;

    /** A registry-wide setting the registry keeps for itself (such as whether the directory layout was migrated). */
    Optional<String> setting(String name) throws IOException;

    /** Sets a registry-wide setting. */
    void putSetting(String name, String value) throws IOException;

    /**
     * The blobs a manifest or a kept revision refers to, named after {@code after} (from the first when {@code null}),
     * at most {@code limit}, in the order of their names, each with its size: a page, for verification.
     */
    List<StoredBlob> referencedBlobs(@Nullable Sha256 after, int limit) throws IOException;
}
