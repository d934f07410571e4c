package org.mlregistry.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.WriteRefusals;
import org.mlregistry.core.util.BoundedCache;

/**
 * A registry's files when its catalog keeps manifests: each version's files are rows of its manifest, their bytes
 * blobs stored once per SHA-256. Downloads, listings and HEADs are answered from the manifest without touching
 * storage but to open the blob; an upload is staged and hashed, then put in the manifest in one catalog transaction
 * that makes sure the blob is stored. A candidate ({@code candidate:<iid>}) whose run the catalog keeps has its files in
 * the run's manifest ({@link TrackingCatalog#runFiles}: its version's when the run is a version's) and, for files put
 * there by hand, in its directory of the layout; one without a run is that directory alone. The directory layout of
 * {@code layout} also serves a version's files not adopted into its manifest yet ({@link #servesLayout}), until the
 * layout's migration says it holds no more.
 *
 * <p>Threading: safe for concurrent use.
 */
final class BlobFileStore implements ModelFileStore {

    private static final int CACHED_MANIFESTS = 16;
    private static final int CACHED_FROM = 256;

    private final ManifestCatalog manifests;
    private final BlobStore blobs;
    private final ModelFileStore layout;
    private final Clock clock;
    private final IntegrityErrors integrity;
    private final RunFiles runFiles;
    /**
     * Large manifests as last read, by version: a listing asks the catalog for the version's revision only, and reads
     * the rows again when it changed (an upload here or on another node); a manifest is immutable per revision. Only
     * manifests of more than {@value #CACHED_FROM} files, at most {@value #CACHED_MANIFESTS} (some 30 MB at 10,000
     * files each): smaller ones cost one quick query.
     */
    private final BoundedCache<Long, Manifest> manifestCache = new BoundedCache<>(CACHED_MANIFESTS);
    /** Whether the directory layout may still hold files of versions (not yet migrated): they are served too. */
    private volatile boolean servesLayout = true;

    BlobFileStore(ManifestCatalog manifests, BlobStore blobs, ModelFileStore layout, Clock clock, IntegrityErrors integrity) {
        this.manifests = manifests;
        this.blobs = blobs;
        this.layout = layout;
        this.clock = clock;
        this.integrity = integrity;
        this.runFiles = manifests instanceof TrackingCatalog tracking ? tracking::runFiles : (projectId, iid) -> Optional.empty();
    }

    /** Where a candidate's files are kept in the catalog: {@link TrackingCatalog#runFiles}. */
    @FunctionalInterface
    private interface RunFiles {
        Optional<Long> key(long projectId, long iid) throws IOException;
    }

    /** The key of the manifest holding the version's (or candidate's) files; empty for a candidate without a run. */
    private Optional<Long> keyOf(long projectId, ModelVersionRef version) throws IOException {
        return version.candidate() ? runFiles.key(projectId, version.id()) : Optional.of(version.id());
    }

    /** Whether the directory layout may hold files of the version too: always a candidate's (put there by hand). */
    private boolean layered(ModelVersionRef version) {
        return version.candidate() || servesLayout;
    }

    ManifestCatalog manifests() {
        return manifests;
    }

    BlobStore blobs() {
        return blobs;
    }

    IntegrityErrors integrity() {
        return integrity;
    }

    ModelFileStore layout() {
        return layout;
    }

    /** Whether files of versions in the directory layout are still served. */
    boolean servesLayout() {
        return servesLayout;
    }

    /** Stops (or resumes) serving versions' files from the directory layout: the migration found none left. */
    void servesLayout(boolean serves) {
        servesLayout = serves;
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        Optional<Long> key = keyOf(projectId, version);
        if (key.isEmpty()) {
            return layout.find(projectId, version, path);
        }
        Optional<ManifestFile> row = manifests.findFile(key.get(), path);
        if (row.isPresent()) {
            return Optional.of(fileOf(row.get()));
        }
        return layered(version) ? layout.find(projectId, version, path) : Optional.empty();
    }

    /**
     * The file a manifest row names, as its blob holds it.
     *
     * @throws RegistryException {@link Refusal#CONTENT_MISSING} when storage lacks the blob or it is known altered
     */
    ModelFile fileOf(ManifestFile row) throws IOException {
        Sha256 sha = row.sha256();
        Optional<BlobStore.Blob> blob = blobs.find(sha);
        if (blob.isEmpty() || blob.get().size() != row.size()) {
            integrity.missing(sha);
            throw contentMissing();
        }
        integrity.whole(sha);
        return new BlobFile(row.path(), row.size(), row.sha256(), row.created(), blob.get());
    }

    /**
     * The bytes of a listed file: its blob, else (a file of the directory layout not adopted yet) the layout's file if
     * it still has those bytes; empty when neither has them.
     */
    Optional<ModelFile> fileOf(long projectId, ModelVersionRef version, HubFile listed) throws IOException {
        Optional<BlobStore.Blob> blob = blobs.find(listed.sha256());
        if (blob.isPresent() && blob.get().size() == listed.size()) {
            return Optional.of(new BlobFile(listed.path(), listed.size(), listed.sha256(), listed.lastModified(), blob.get()));
        }
        if (layered(version)) {
            Optional<ModelFile> file = layout.find(projectId, version, listed.path());
            if (file.isPresent() && file.get().knownSha256().filter(listed.sha256()::equals).isPresent()) {
                return file;
            }
        }
        Optional<Long> key = keyOf(projectId, version);
        Optional<ManifestFile> row = key.isEmpty() ? Optional.empty() : manifests.findFile(key.get(), listed.path());
        if (row.isPresent() && row.get().sha256().equals(listed.sha256())) {
            integrity.missing(listed.sha256());
            throw contentMissing();
        }
        return Optional.empty();
    }

    static RegistryException contentMissing() {
        return new RegistryException(Refusal.CONTENT_MISSING,
                "the file's content is missing from storage (an integrity error the registry has logged)");
    }

    @Override
    public boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
        if (version.candidate()) {
            return runFiles.key(projectId, version.id()).isPresent() || layout.hasVersion(projectId, version);
        }
        return manifests.manifest(version.id()).isPresent();
    }

    @Override
    public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException {
        Optional<Long> key = keyOf(projectId, version);
        if (key.isEmpty()) {
            return layout.list(projectId, version, directory);
        }
        Map<String, FileEntry> entries = new TreeMap<>();
        if (layered(version)) {
            for (FileEntry e : layout.list(projectId, version, directory)) {
                entries.put(e.name(), e);
            }
        }
        Optional<Manifest> manifest = currentManifest(key.get());
        if (manifest.isPresent()) {
            int depth = directory.segments().size();
            for (ManifestFile f : manifest.get().files()) {
                List<String> segments = f.path().segments();
                if (segments.size() > depth && segments.subList(0, depth).equals(directory.segments())) {
                    String name = segments.get(depth);
                    entries.put(name, segments.size() == depth + 1 ? FileEntry.file(name, f.size()) : FileEntry.directory(name));
                }
            }
        }
        return List.copyOf(entries.values());
    }

    /**
     * Every file of the version with its digest, and the manifest's revision (empty when files of the directory layout
     * are among them: such a listing is no revision of the manifest); empty when there is no such version.
     */
    Optional<Listing> listing(long projectId, ModelVersionRef version) throws IOException {
        Optional<Manifest> manifest = currentManifest(version.id());
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        List<HubFile> files = new ArrayList<>(manifest.get().hubFiles());
        boolean fromLayout = servesLayout && layout.hasVersion(projectId, version) && addLayoutFiles(projectId, version,
                DirectoryPath.TOP, manifest.get(), files);
        return Optional.of(new Listing(fromLayout ? Optional.empty() : Optional.of(manifest.get().revision()), files));
    }

    /** The version's current manifest: the cached one while its revision is the catalog's, else read anew. */
    private Optional<Manifest> currentManifest(long versionId) throws IOException {
        Manifest cached = manifestCache.get(versionId);
        if (cached != null) {
            Optional<Long> revision = manifests.revision(versionId);
            if (revision.isEmpty()) {
                manifestCache.remove(versionId);
                return Optional.empty();
            }
            if (revision.get() == cached.revision()) {
                return Optional.of(cached);
            }
        }
        Optional<Manifest> read = manifests.manifest(versionId);
        read.filter(m -> m.files().size() > CACHED_FROM).ifPresent(m -> manifestCache.put(versionId, m));
        return read;
    }

    /** A version's files; {@code revision} is the manifest's when they are exactly its files. */
    record Listing(Optional<Long> revision, List<HubFile> files) {
    }

    private boolean addLayoutFiles(long projectId, ModelVersionRef version, DirectoryPath dir, Manifest manifest, List<HubFile> out)
            throws IOException {
        boolean added = false;
        for (FileEntry e : layout.list(projectId, version, dir)) {
            if (out.size() > FileListings.MAX_FILES) {
                return added;
            }
            if (e.directory()) {
                if (dir.segments().size() < FilePath.MAX_DEPTH) {
                    List<String> sub = new ArrayList<>(dir.segments());
                    sub.add(e.name());
                    added |= addLayoutFiles(projectId, version, new DirectoryPath(sub), manifest, out);
                }
                continue;
            }
            FilePath path = dir.file(e.name());
            if (manifest.file(path).isPresent()) {
                continue;
            }
            Optional<ModelFile> file = layout.find(projectId, version, path);
            if (file.isPresent()) {
                try {
                    out.add(new HubFile(path, file.get().metadata().size(), file.get().sha256(), file.get().metadata().lastModified()));
                    added = true;
                } catch (NoSuchFileException gone) {
                    // removed while it was hashed
                }
            }
        }
        return added;
    }

    @Override
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content, WriteOptions options)
            throws IOException {
        Optional<Long> key = keyOf(projectId, version);
        if (key.isEmpty()) {
            return layout.store(projectId, version, path, content, options);
        }
        // refusals decided before a byte of the body is read, as the directory layout decides them
        if (options.overwrite() == FileOverwrite.REFUSE && exists(projectId, version, key.get(), path)) {
            throw WriteRefusals.fileExists();
        }
        checkPath(key.get(), path);
        try (BlobStore.StagedBlob staged = blobs.stage(content)) {
            Optional<Sha256> expected = options.expectedSha256();
            if (expected.isPresent() && !expected.get().equals(staged.sha256())) {
                throw WriteRefusals.checksumMismatch(staged.sha256(), expected.get());
            }
            // published outside the catalog's transaction (object storage copies it server-side, which takes a while);
            // inside, under the blob's lock, only made sure of: a collection may have taken an old blob of these bytes
            staged.publish();
            ManifestFile row = manifests.putFile(key.get(),
                    new NewFile(path, staged.sha256(), staged.size(), options.uploadedBy(), clock.instant()), options.overwrite(),
                    () -> ensurePublished(staged));
            integrity.whole(row.sha256());
            return new FileMetadata(row.size(), row.created());
        }
    }

    /** A part of the path that is a file, or a path that is a directory, in the manifest: {@code PATH_CONFLICT}. */
    private void checkPath(long versionId, FilePath path) throws IOException {
        List<String> segments = path.segments();
        for (int i = 1; i < segments.size(); i++) {
            if (manifests.findFile(versionId, new FilePath(segments.subList(0, i - 1), segments.get(i - 1))).isPresent()) {
                throw WriteRefusals.fileInTheWay(segments.get(i - 1));
            }
        }
        if (manifests.isDirectory(versionId, path)) {
            throw WriteRefusals.directoryInTheWay(path.fileName());
        }
    }

    /** Publishes the staged bytes again unless storage holds their blob: the step run under the blob's lock. */
    void ensurePublished(BlobStore.StagedBlob staged) throws IOException {
        if (blobs.find(staged.sha256()).filter(b -> b.size() == staged.size()).isEmpty()) {
            staged.publish();
        }
    }

    private boolean exists(long projectId, ModelVersionRef version, long key, FilePath path) throws IOException {
        return manifests.findFile(key, path).isPresent() || (layered(version) && layout.find(projectId, version, path).isPresent());
    }

    /**
     * Removes the manifest's row (its blob goes with a collection once no kept revision lists it) and, while the layout
     * is served, the layout's file of that name too: one not adopted yet, or left beside its adopted row, would
     * otherwise be served (and adopted) again.
     */
    @Override
    public boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        Optional<Long> key = keyOf(projectId, version);
        if (key.isEmpty()) {
            return layout.deleteFile(projectId, version, path);
        }
        boolean listed = manifests.removeFile(key.get(), path, clock.instant());
        boolean laidOut = layered(version) && layout.deleteFile(projectId, version, path);
        return listed || laidOut;
    }

    @Override
    public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
        // the catalog removed the manifest with the version; its blobs go with the next collection
        layout.deleteVersion(projectId, version);
    }

    @Override
    public void checkReachable() throws IOException {
        layout.checkReachable();
        blobs.checkReachable();
    }

    /** A manifest's file over its blob: metadata and digest from the manifest, bytes from the blob. */
    private record BlobFile(FilePath path, long size, Sha256 sha, Instant created, BlobStore.Blob blob) implements ModelFile {
        @Override
        public FileMetadata metadata() {
            return new FileMetadata(size, created);
        }

        @Override
        public Optional<Sha256> knownSha256() {
            return Optional.of(sha);
        }

        @Override
        public Sha256 sha256() {
            return sha;
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            return blob.open();
        }

        @Override
        public Optional<URI> redirect() throws IOException {
            return blob.redirect(path.fileName());
        }
    }
}
