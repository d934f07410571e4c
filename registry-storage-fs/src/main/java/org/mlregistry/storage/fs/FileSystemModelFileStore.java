package org.mlregistry.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.util.BoundedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files on a file system, laid out as {@code <root>/<projectId>/<versionDir>/<path...>/<file_name>}
 * (a candidate's directory is {@code candidate_<iid>}). Files placed there by hand are served.
 *
 * <p>Safety ({@link RootPaths}, the part to audit): only validated segments are ever joined to the root; a symbolic
 * link is followed only while it stays inside the root, and an upload decides the real directory it writes into,
 * level by level, before it looks at anything there, so its answer never depends on what exists outside. The registry's
 * own files (upload temp files, digest sidecars) live in {@value #INTERNAL_DIR}, a name no project id can
 * take. Each file's SHA-256 is computed once per file version (while uploading, or on first request for a
 * file placed by hand) and kept beside, keyed by size, time and inode.
 *
 * <p>Uploads ({@link FilePublisher}) are written to a temp file, verified, forced to disk and then published atomically: renamed
 * over the old file (replace; a reader that opened the old one reads it to its end) or hard-linked where
 * nothing is (refuse). A failed upload leaves no temp file and removes the directories it created; the
 * temp files of a process killed mid-upload are removed when the next store opens the root.
 *
 * <pre>{@code
 * FileSystemModelFileStore store = new FileSystemModelFileStore(Path.of("/var/lib/mlregistry"));
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, also by several processes sharing one root.
 */
public final class FileSystemModelFileStore implements ModelFileStore, Closeable {

    /** The directory below the root that holds the registry's own files. */
    public static final String INTERNAL_DIR = ".mlregistry";

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelFileStore.class);

    private final RootPaths paths;
    private final UploadArea uploads;
    private final DigestCache digests;
    private final FilePublisher publisher;
    private final FileSystemBlobStore blobs;
    private final SmallFileCache smallFiles = new SmallFileCache();
    /** Files found by a lookup that crossed no link, as found then: see {@link #stillTheSame}. */
    private final BoundedCache<Path, Checked> linkFree = new BoundedCache<>(65_536);

    /**
     * A file found without crossing a link, with the file key {@code lstat} gave for it (compared as it is, where
     * the stamp keeps its text for the digest sidecars): a request for it that finds it unchanged gets this same
     * immutable answer, and allocates nothing for it.
     */
    private record Checked(@Nullable Object fileKey, FileSystemModelFile file) {
    }

    /**
     * Opens the store at {@code root}, which must be an existing directory, and removes the uploads that
     * processes killed mid-upload left there.
     *
     * @throws IOException when the root is missing or its internal directory cannot be created
     */
    public FileSystemModelFileStore(Path root) throws IOException {
        this(root, Clock.systemUTC());
    }

    FileSystemModelFileStore(Path root, Clock clock) throws IOException {
        this(builder(root), clock);
    }

    private FileSystemModelFileStore(Builder b, Clock clock) throws IOException {
        Objects.requireNonNull(b.root, "root");
        if (!Files.isDirectory(b.root)) {
            throw new NoSuchFileException(b.root.toString(), null, "storage root is not a directory");
        }
        Path root = b.root.toRealPath();
        this.paths = new RootPaths(root, root.resolve(INTERNAL_DIR));
        this.uploads = UploadArea.open(paths.internal().resolve("uploads"), clock);
        this.digests = new DigestCache(root, paths.internal().resolve("digests"), b.hashThreads, b.observer);
        this.publisher = new FilePublisher(paths, uploads, digests);
        this.blobs = new FileSystemBlobStore(root, uploads, clock);
        if (b.hashAtStartup) {
            digests.hashAll(paths.internal(), root.resolve(FileSystemBlobStore.DIR));
        }
    }

    /** Starts a builder for a store at {@code root}, for the options the constructor leaves at their defaults. */
    public static Builder builder(Path root) {
        return new Builder(Objects.requireNonNull(root, "root"));
    }

    /**
     * Options of a {@link FileSystemModelFileStore}.
     *
     * <p>Threading: not thread-safe; build once.
     */
    public static final class Builder {
        private final Path root;
        private int hashThreads = 1;
        private boolean hashAtStartup;
        private RegistryObserver observer = RegistryObserver.NONE;

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * How many files placed by hand are hashed at once, in the background, at the lowest thread
         * priority (default 1: hashing is disk-bound, and serving comes first).
         */
        public Builder hashThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("hashThreads must be at least 1");
            }
            this.hashThreads = threads;
            return this;
        }

        /**
         * Whether to start hashing, in the background, every file not hashed yet as soon as the store opens
         * (default false: each is hashed after its first request), logging a line per large file.
         */
        public Builder hashAtStartup(boolean all) {
            this.hashAtStartup = all;
            return this;
        }

        /** Who hears about digest computations (the registry's observer, for metrics). */
        public Builder observer(RegistryObserver registryObserver) {
            this.observer = Objects.requireNonNull(registryObserver, "registryObserver");
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws IOException when the root is missing or its internal directory cannot be created
         */
        public FileSystemModelFileStore build() throws IOException {
            return new FileSystemModelFileStore(this, Clock.systemUTC());
        }
    }

    /**
     * How many times a file was read to compute its digest since this store was opened: files placed by
     * hand cost one hash each, uploads none (they are hashed while written). A metric, and the proof in
     * tests that a digest is not computed twice.
     */
    public long hashesComputed() {
        return digests.hashesComputed();
    }

    /** True when no file is being hashed or waiting to be, in the background. */
    boolean hashingIdle() {
        return digests.idle();
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        Path candidate = paths.map(projectId, version, path);
        Checked seen = linkFree.get(candidate);
        if (seen != null) {
            if (stillTheSame(candidate, seen)) {
                return Optional.of(seen.file());
            }
            linkFree.remove(candidate, seen);
        }
        BasicFileAttributes attrs;
        Path real = candidate;
        try {
            attrs = paths.walkWithoutLinks(candidate);
            if (attrs == null) {
                // a symbolic link below the root: follow it, then make sure it stayed inside
                real = candidate.toRealPath();
                if (!paths.isServable(real)) {
                    LOG.warn("refused {}: it resolves outside the storage root", candidate);
                    return Optional.empty();
                }
                attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // ENOTDIR (a file where a directory should be), a link loop, a name too long, no access: the
            // layout says there is no such file here; anything else is broken storage
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) || StorageFailures.meansAbsent(e)) {
                LOG.debug("no file at {}: {}", candidate, e.toString());
                return Optional.empty();
            }
            throw e;
        }
        if (!attrs.isRegularFile()) {
            return Optional.empty();
        }
        FileSystemModelFile file = new FileSystemModelFile(real, new FileMetadata(attrs.size(), attrs.lastModifiedTime().toInstant()),
                FileStamp.of(attrs), digests, smallFiles);
        if (real.equals(candidate)) {
            linkFree.put(candidate, new Checked(attrs.fileKey(), file));
        }
        return Optional.of(file);
    }

    /**
     * Whether the file at {@code candidate} is still the very file (device, inode, size, time) that an earlier
     * lookup reached without crossing a link: one {@code lstat} instead of one per path segment. Should a
     * directory on the way have become a link since, the path resolves to another inode, or to the same
     * file that was checked, whose bytes were servable then; either way nothing new is reached.
     */
    private static boolean stillTheSame(Path candidate, Checked seen) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileStamp then = seen.file().stamp();
            return attrs.isRegularFile() && attrs.size() == then.size()
                    && attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) == then.modifiedNanos()
                    && Objects.equals(attrs.fileKey(), seen.fileKey());
        } catch (IOException e) {
            LOG.trace("{} changed since it was checked: {}", candidate, e.toString());
            return false; // gone or changed: the full lookup decides
        }
    }

    /** The root is still a directory this process can write to (a lost mount or a read-only remount is not). */
    @Override
    public void checkReachable() throws IOException {
        if (!Files.isDirectory(paths.root()) || !Files.isWritable(paths.root()) || !Files.isDirectory(paths.internal())) {
            throw new IOException("the storage root is not a writable directory");
        }
    }

    @Override
    public boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
        return paths.insideDirectory(paths.versionDir(projectId, version)).isPresent();
    }

    @Override
    public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException {
        Path dir = paths.versionDir(projectId, version);
        for (String segment : directory.segments()) {
            dir = dir.resolve(segment);
        }
        Optional<Path> real = paths.insideDirectory(dir);
        if (real.isEmpty()) {
            return List.of();
        }
        List<FileEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(real.get())) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (FilePath.isValidSegment(name)) {
                    paths.entry(child, name).ifPresent(entries::add);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing(FileEntry::name));
        return entries;
    }



    @Override
    public boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        linkFree.remove(paths.map(projectId, version, path));
        return publisher.deleteFile(projectId, version, path);
    }

    @Override
    public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
        publisher.deleteVersion(projectId, version);
    }





    @Override
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content,
                              WriteOptions options) throws IOException {
        return publisher.store(projectId, version, path, content, options);
    }












    /**
     * The blobs below this store's root ({@code <root>/blobs}), sharing its upload area: what a registry with a catalog
     * keeps versions' files in ({@link org.mlregistry.core.ModelRegistry.Builder#blobs}), this store keeping candidates
     * and the directory layout.
     */
    public FileSystemBlobStore blobs() {
        return blobs;
    }

    /** Releases this store's upload folder; uploads still running fail. */
    @Override
    public void close() throws IOException {
        digests.close();
        uploads.close();
    }
}
