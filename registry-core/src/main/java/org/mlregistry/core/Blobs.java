package org.mlregistry.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HistoryKeep;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep of a registry that keeps versions' files as manifests and blobs ({@link ModelRegistry#blobs()}):
 * garbage collection (history past its keep, then blobs no manifest or kept revision refers to), verification
 * (every referenced blob re-hashed) and the migration of files written in the directory layout. All three are safe
 * while the registry serves, also from several nodes at once: a blob is deleted only inside a catalog transaction
 * holding its lock, which an upload of the same content takes too, and never when younger than the grace period.
 *
 * <pre>{@code
 * registry.blobs().orElseThrow().collect(HistoryKeep.ALL, Blobs.DEFAULT_GRACE);
 * }</pre>
 *
 * <p>Threading: safe for concurrent use.
 */
public final class Blobs {

    /** By default a blob younger than this is never collected: an upload in flight, another node's. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    /** What staging left (an upload killed mid-way, where storage cannot tell a live one by a lock) goes after a day. */
    static final Duration STAGING_AGE = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(Blobs.class);
    private static final int PAGE = 1000;
    /** The setting recording that the directory layout holds no versions' files any more. */
    static final String LAYOUT_MIGRATED = "layout-migrated";

    private final RegistryContext context;
    private final BlobFileStore files;

    Blobs(RegistryContext context, BlobFileStore files) {
        this.context = context;
        this.files = files;
    }

    /**
     * What a collection did.
     *
     * @param revisionsForgotten manifest revisions past the history's keep, forgotten
     * @param blobsDeleted blobs nothing referred to, deleted
     * @param bytesFreed their total size
     * @param stagingRemoved leftovers of uploads killed mid-way, removed
     */
    public record Collection(int revisionsForgotten, int blobsDeleted, long bytesFreed, int stagingRemoved) {
    }

    /**
     * Forgets history past {@code keep}, then deletes every blob older than {@code grace} that no manifest and no kept
     * revision refers to, and what killed uploads left.
     *
     * @throws IOException when storage or the catalog fails (what was done until then stays done)
     */
    public Collection collect(HistoryKeep keep, Duration grace) throws IOException {
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(grace, "grace");
        ManifestCatalog manifests = files.manifests();
        BlobStore blobs = files.blobs();
        Instant now = context.now();
        int forgotten = 0;
        if (keep.days().isPresent()) {
            // "none" forgets every superseded revision: superseded before the next instant
            Instant before = now.minus(keep.days().get()).plusNanos(1);
            forgotten = manifests.forgetHistory(before);
            if (manifests instanceof TrackingCatalog tracking) {
                int purged = tracking.purgeExperiments(before);
                if (purged > 0) {
                    LOG.info("garbage collection: {} experiments deleted before {} purged with their runs", purged, before);
                }
            }
        }
        Instant youngest = now.minus(grace);
        int deleted = 0;
        long freed = 0;
        Sha256 after = null;
        for (List<StoredBlob> page = blobs.list(null, PAGE); !page.isEmpty(); page = blobs.list(after, PAGE)) {
            for (StoredBlob b : page) {
                after = b.sha256();
                if (b.stored().isBefore(youngest) && !manifests.referenced(b.sha256())
                        && manifests.collectBlob(b.sha256(), () -> blobs.delete(b.sha256()))) {
                    deleted++;
                    freed += b.size();
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        // an upload may stream for hours: what staging left is removed after a day, whatever the blobs' grace
        int staging = blobs.removeAbandonedStaging(Math.max(grace.toSeconds(), STAGING_AGE.toSeconds()));
        if (forgotten + deleted + staging > 0) {
            LOG.info("garbage collection: {} revisions forgotten, {} blobs deleted ({} bytes), {} abandoned uploads removed",
                    forgotten, deleted, freed, staging);
        }
        return new Collection(forgotten, deleted, freed, staging);
    }

    /**
     * What a verification found.
     *
     * @param blobsChecked referenced blobs read and hashed
     * @param bytesChecked their total size
     * @param missing referenced blobs storage does not hold
     * @param corrupt blobs whose bytes have another digest: quarantined, never served
     */
    public record Verification(long blobsChecked, long bytesChecked, List<Sha256> missing, List<Sha256> corrupt) {
        public Verification {
            missing = List.copyOf(missing);
            corrupt = List.copyOf(corrupt);
        }

        /** Whether every referenced blob is there, whole. */
        public boolean intact() {
            return missing.isEmpty() && corrupt.isEmpty();
        }
    }

    /**
     * Reads and hashes every blob a manifest or a kept revision refers to. A missing one is reported; one holding other
     * bytes is reported and {@linkplain BlobStore#quarantine quarantined}, so no process serves it (its files then
     * answer {@link Refusal#CONTENT_MISSING}) until it is restored from a backup or uploaded anew. Both count as
     * integrity errors in {@link ModelRegistry#health()}.
     *
     * @throws IOException when storage or the catalog fails
     */
    public Verification verify() throws IOException {
        ManifestCatalog manifests = files.manifests();
        BlobStore blobs = files.blobs();
        long checked = 0;
        long bytes = 0;
        List<Sha256> missing = new ArrayList<>();
        List<Sha256> corrupt = new ArrayList<>();
        @Nullable Sha256 after = null;
        for (List<StoredBlob> page = manifests.referencedBlobs(null, PAGE); !page.isEmpty();
             page = manifests.referencedBlobs(after, PAGE)) {
            for (StoredBlob b : page) {
                after = b.sha256();
                Optional<BlobStore.Blob> blob = blobs.find(b.sha256());
                if (blob.isEmpty()) {
                    missing.add(b.sha256());
                    context.integrity().missing(b.sha256());
                    continue;
                }
                Sha256 actual = hash(blob.get());
                checked++;
                bytes += blob.get().size();
                if (!actual.equals(b.sha256())) {
                    corrupt.add(b.sha256());
                    context.integrity().corrupt(b.sha256(), actual);
                    // under the blob's lock, and only if still corrupt: an upload of the content may have replaced it
                    manifests.underBlobLock(b.sha256(), () -> {
                        Optional<BlobStore.Blob> now = blobs.find(b.sha256());
                        if (now.isPresent() && !hash(now.get()).equals(b.sha256())) {
                            blobs.quarantine(b.sha256());
                        }
                    });
                } else {
                    context.integrity().whole(b.sha256());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return new Verification(checked, bytes, missing, corrupt);
    }

    /**
     * What a migration of the directory layout did.
     *
     * @param versions catalog versions looked at
     * @param filesAdopted files of the layout put in their versions' manifests
     * @param bytesAdopted their total size
     * @param versionsCleared versions whose layout directory was removed once every file was adopted
     * @param complete whether the layout holds no file of a catalog version any more (it is then no longer consulted)
     */
    public record Migration(int versions, int filesAdopted, long bytesAdopted, int versionsCleared, boolean complete) {
    }

    /**
     * Adopts the files of catalog versions still in the directory layout (written before versions' files were manifests)
     * into their manifests: each file hashed once (its known digest when the store has one), made a blob without
     * copying where the store can ({@link BlobStore#stageCopyOf}), its manifest row written with its old time (so its
     * {@code ETag} and {@code Last-Modified} stay), and the version's layout directory removed once all its files are in
     * the manifest. A file uploaded since to the same path keeps the upload. Idempotent and resumable: a run killed at
     * any point leaves every file either still in the layout, served from there, or in its manifest. When no version
     * has files left in the layout, the registry stops consulting it, here and (through the catalog) in every process
     * that starts later.
     *
     * @throws IOException when storage or the catalog fails (what was adopted stays adopted)
     */
    public Migration migrate() throws IOException {
        ManifestCatalog manifests = files.manifests();
        int versions = 0;
        int adopted = 0;
        long bytes = 0;
        int cleared = 0;
        boolean complete = true;
        long after = 0;
        for (List<ModelVersion> page = manifests.versionsAfter(0, PAGE); !page.isEmpty(); page = manifests.versionsAfter(after, PAGE)) {
            for (ModelVersion v : page) {
                after = v.id();
                versions++;
                if (!files.layout().hasVersion(v.projectId(), v.ref())) {
                    continue;
                }
                List<FilePath> left = new ArrayList<>();
                for (FilePath path : layoutFiles(v, DirectoryPath.TOP, new ArrayList<>())) {
                    Optional<ModelFile> file = files.layout().find(v.projectId(), v.ref(), path);
                    if (file.isEmpty()) {
                        continue;
                    }
                    long size = file.get().metadata().size();
                    try {
                        if (adopt(manifests, v, path, file.get())) {
                            adopted++;
                            bytes += size;
                        } else if (manifests.findFile(v.id(), path).isEmpty()) {
                            left.add(path); // changed while it was read: the next run adopts it
                        }
                    } catch (RegistryException refused) {
                        if (refused.reason() == Refusal.RESOURCE_DOES_NOT_EXIST) {
                            break; // the version was deleted meanwhile: its directory goes with it
                        }
                        // an upload made the path a directory (or a part of it a file): the layout keeps it, served as before
                        LOG.warn("migration: {} of version {} stays in the directory layout: {}", path, v.id(), refused.getMessage());
                        left.add(path);
                    }
                }
                if (left.isEmpty()) {
                    files.layout().deleteVersion(v.projectId(), v.ref());
                    cleared++;
                } else {
                    complete = false;
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        if (complete) {
            manifests.putSetting(LAYOUT_MIGRATED, "true");
            files.servesLayout(false);
        }
        if (adopted > 0 || cleared > 0) {
            LOG.info("migration: {} files ({} bytes) of the directory layout adopted into manifests; {} version directories removed; {}",
                    adopted, bytes, cleared, complete ? "the layout is no longer consulted" : "some files changed while read: run it again");
        }
        return new Migration(versions, adopted, bytes, cleared, complete);
    }

    /** Whether the directory layout was found empty of versions' files by a migration (in any process). */
    public boolean layoutMigrated() throws IOException {
        return files.manifests().setting(LAYOUT_MIGRATED).isPresent();
    }

    /** Put in the manifest when its path holds nothing there yet; false when it does, or the file changed meanwhile. */
    private boolean adopt(ManifestCatalog manifests, ModelVersion v, FilePath path, ModelFile file) throws IOException {
        if (manifests.findFile(v.id(), path).isPresent()) {
            return false;
        }
        Sha256 sha = file.sha256();
        try (BlobStore.StagedBlob staged = files.blobs().stageCopyOf(file, sha)) {
            if (!staged.sha256().equals(sha) || staged.size() != file.metadata().size()) {
                return false;
            }
            staged.publish();
            return manifests.adoptFile(v.id(), new NewFile(path, sha, staged.size(), "", file.metadata().lastModified()),
                    () -> files.ensurePublished(staged));
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private List<FilePath> layoutFiles(ModelVersion v, DirectoryPath dir, List<FilePath> out) throws IOException {
        for (FileEntry e : files.layout().list(v.projectId(), v.ref(), dir)) {
            if (e.directory()) {
                if (dir.segments().size() < FilePath.MAX_DEPTH) {
                    List<String> sub = new ArrayList<>(dir.segments());
                    sub.add(e.name());
                    layoutFiles(v, new DirectoryPath(sub), out);
                }
            } else {
                out.add(dir.file(e.name()));
            }
        }
        return out;
    }

    private static Sha256 hash(BlobStore.Blob blob) throws IOException {
        MessageDigest d = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (SeekableByteChannel ch = blob.open(); InputStream in = Channels.newInputStream(ch)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
        return Sha256.of(d.digest());
    }
}
