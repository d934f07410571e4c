package org.mlregistry.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.PublishGate;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.WriteRefusals;
import org.mlregistry.core.util.BoundedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files on a file system, laid out as {@code <root>/<projectId>/<versionDir>/<path...>/<file_name>}
 * (a candidate's directory is {@code candidate_<iid>}). Files placed there by hand are served.
 *
 * <p>Safety: only validated segments are ever joined to the root; a symbolic link is followed only while
 * it stays inside the root, and an upload decides the real directory it writes into, level by level,
 * before it looks at anything there, so its answer never depends on what exists outside. The registry's
 * own files (upload temp files, digest sidecars) live in {@value #INTERNAL_DIR}, a name no project id can
 * take. Each file's SHA-256 is computed once per file version (while uploading, or on first request for a
 * file placed by hand) and kept beside, keyed by size, time and inode.
 *
 * <p>Uploads are written to a temp file, verified, forced to disk and then published atomically: renamed
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

    private final Path root;
    private final Path internal;
    private final UploadArea uploads;
    private final DigestCache digests;
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
        this.root = b.root.toRealPath();
        this.internal = this.root.resolve(INTERNAL_DIR);
        this.uploads = UploadArea.open(internal.resolve("uploads"), clock);
        this.digests = new DigestCache(this.root, internal.resolve("digests"), b.hashThreads, b.observer);
        if (b.hashAtStartup) {
            digests.hashAll(internal);
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
        Path candidate = map(projectId, version, path);
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
            attrs = walkWithoutLinks(candidate);
            if (attrs == null) {
                // a symbolic link below the root: follow it, then make sure it stayed inside
                real = candidate.toRealPath();
                if (!isServable(real)) {
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
        if (!Files.isDirectory(root) || !Files.isWritable(root) || !Files.isDirectory(internal)) {
            throw new IOException("the storage root is not a writable directory");
        }
    }

    @Override
    public boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
        return insideDirectory(versionDir(projectId, version)).isPresent();
    }

    @Override
    public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException {
        Path dir = versionDir(projectId, version);
        for (String segment : directory.segments()) {
            dir = dir.resolve(segment);
        }
        Optional<Path> real = insideDirectory(dir);
        if (real.isEmpty()) {
            return List.of();
        }
        List<FileEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(real.get())) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (FilePath.isValidSegment(name)) {
                    entry(child, name).ifPresent(entries::add);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing(FileEntry::name));
        return entries;
    }

    /** A listed child: a file or directory inside the root (a link is judged by where it leads), else nothing. */
    private Optional<FileEntry> entry(Path child, String name) throws IOException {
        BasicFileAttributes attrs = attributesOrNull(child);
        if (attrs != null && attrs.isSymbolicLink()) {
            try {
                Path target = child.toRealPath();
                attrs = isServable(target) ? Files.readAttributes(target, BasicFileAttributes.class) : null;
            } catch (IOException e) {
                attrs = null; // dangling or a loop: not listed, as it cannot be downloaded
            }
        }
        if (attrs == null) {
            return Optional.empty();
        }
        if (attrs.isDirectory()) {
            return Optional.of(FileEntry.directory(name));
        }
        return attrs.isRegularFile() ? Optional.of(FileEntry.file(name, attrs.size())) : Optional.empty();
    }

    /** The real path of {@code dir} when it is a directory inside the root (links followed only inside). */
    private Optional<Path> insideDirectory(Path dir) throws IOException {
        try {
            Path real = dir.toRealPath();
            return isServable(real) && Files.isDirectory(real) ? Optional.of(real) : Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (StorageFailures.meansAbsent(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
        Path dir = versionDir(projectId, version);
        if (Files.isSymbolicLink(dir)) {
            Files.delete(dir); // the link goes; whatever it leads to is not ours to delete
        } else if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            removeTree(dir);
        }
        Path sidecars = internal.resolve("digests").resolve(Long.toString(projectId)).resolve(version.directoryName());
        if (Files.isDirectory(sidecars, LinkOption.NOFOLLOW_LINKS)) {
            removeTree(sidecars);
        }
    }

    /**
     * Moves {@code dir} out of its tree in one rename, then deletes it there: no request sees it half deleted, and an
     * upload writing into it meanwhile cannot make the removal fail (a directory that is no longer empty). A process
     * killed mid-way leaves the moved tree in its upload area, which the next store to open removes.
     */
    private void removeTree(Path dir) throws IOException {
        Path moved = uploads.newTrashPath();
        try {
            Files.move(dir, moved, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(moved);
        } catch (NoSuchFileException e) {
            // removed meanwhile by another deletion
        } catch (AtomicMoveNotSupportedException e) {
            deleteTree(dir); // the internal folder is on another file system: deleted in place
        }
    }

    /**
     * Deletes a tree without following links: a link inside is removed as a link. A directory that gained an entry
     * after the tree was walked (a writer that resolved its path before the tree was moved) is walked again, a few
     * times at most.
     */
    private static void deleteTree(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (NoSuchFileException gone) {
                return; // the walk's root went meanwhile
            } catch (DirectoryNotEmptyException | UncheckedIOException changed) {
                if (attempt == 5) {
                    throw changed;
                }
            }
        }
    }

    private Path versionDir(long projectId, ModelVersionRef version) {
        return root.resolve(Long.toString(projectId)).resolve(version.directoryName());
    }

    /**
     * The attributes of {@code candidate} when no component below the (real) root is a symbolic link, so
     * the path is its own real path; {@code null} when one is. One {@code lstat} per component below the
     * root, which is cheaper than resolving the real path from the file-system root on every request.
     */
    private @Nullable BasicFileAttributes walkWithoutLinks(Path candidate) throws IOException {
        Path p = root;
        @Nullable BasicFileAttributes attrs = null;
        for (Path name : root.relativize(candidate)) {
            p = p.resolve(name);
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                return null;
            }
        }
        return attrs;
    }

    @Override
    @SuppressWarnings("try") // the gate's pass is held by the try, not used in it
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content,
                              WriteOptions options) throws IOException {
        Path target = map(projectId, version, path);
        Path parent = Objects.requireNonNull(target.getParent(), "a mapped file always has a directory");
        String fileName = path.fileName();
        List<Path> created = new ArrayList<>();
        Path temp = null;
        boolean stored = false;
        try {
            Path realTarget = directoryInside(parent, created).resolve(fileName);
            checkTarget(realTarget, fileName, options.overwrite());
            temp = uploads.newTempFile();
            Sha256 sha = write(content, temp);
            Optional<Sha256> expected = options.expectedSha256();
            if (expected.isPresent() && !expected.get().equals(sha)) {
                throw WriteRefusals.checksumMismatch(sha, expected.get());
            }
            BasicFileAttributes attrs = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            try (PublishGate.Pass pass = options.gate().enter()) {
                try {
                    publish(temp, realTarget, fileName, options.overwrite());
                } catch (NoSuchFileException e) {
                    // a concurrent upload that failed removed the directory it had created and this one entered
                    realTarget = directoryInside(parent, created).resolve(fileName);
                    publish(temp, realTarget, fileName, options.overwrite());
                }
            }
            // the stamp of what was written (a rename keeps size, time and inode): a racing upload that
            // publishes over this one can never inherit this digest
            digests.put(realTarget, FileStamp.of(attrs), sha);
            stored = true;
            return new FileMetadata(attrs.size(), attrs.lastModifiedTime().toInstant());
        } catch (FileSystemException e) {
            throw StorageFailures.refusalFor(e).orElseThrow(() -> e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
            if (!stored) {
                removeCreated(created);
            }
        }
    }

    /** Copies {@code content} to {@code temp}, hashing it; the client's read errors propagate as they are. */
    private static Sha256 write(InputStream content, Path temp) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            Sha256 sha;
            try {
                sha = HashingCopy.copy(content, channel);
            } catch (HashingCopy.WriteFailure e) {
                IOException cause = e.cause();
                throw StorageFailures.refusalFor(cause).orElseThrow(() -> cause);
            }
            try {
                channel.force(true);
            } catch (IOException e) {
                throw StorageFailures.refusalFor(e).orElseThrow(() -> e);
            }
            return sha;
        }
    }

    /**
     * Creates {@code dir} one level at a time, deciding at each level what stands there before going deeper:
     * a directory is entered, a link is followed only to a directory inside the root, anything else is a
     * conflict. So a link leading outside is refused the same way whatever exists behind it, and nothing
     * is created behind it.
     *
     * @param created receives each directory this call created, outermost first
     * @return the real path of {@code dir}
     */
    private Path directoryInside(Path dir, List<Path> created) throws IOException {
        Path real = root;
        for (Path name : root.relativize(dir)) {
            Path next = real.resolve(name);
            BasicFileAttributes attrs = attributesOrNull(next);
            if (attrs == null) {
                try {
                    Files.createDirectory(next);
                    created.add(next);
                    real = next;
                    continue;
                } catch (FileAlreadyExistsException raced) {
                    // created by a concurrent upload, which may already have removed it again (it failed, or its
                    // version was deleted): what is there now decides
                    attrs = attributesOrNull(next);
                    if (attrs == null) {
                        Files.createDirectory(next); // once more; a second race is an error of its own
                        created.add(next);
                        real = next;
                        continue;
                    }
                }
            }
            if (attrs.isDirectory()) {
                real = next;
            } else if (attrs.isSymbolicLink()) {
                real = linkedDirectory(next, name.toString());
            } else {
                throw WriteRefusals.fileInTheWay(name.toString());
            }
        }
        return real;
    }

    /** The real directory a link inside the root leads to, or a refusal that says nothing of its target. */
    private Path linkedDirectory(Path link, String name) {
        try {
            Path target = link.toRealPath();
            if (isServable(target) && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                return target;
            }
        } catch (IOException e) {
            // dangling, a loop, or unreadable: refused below exactly like a link leading outside
        }
        LOG.debug("refusing to write through the link {}", link);
        throw WriteRefusals.notWritable(name);
    }

    private static @Nullable BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Refuses before the body is read when the name is a directory, or an existing file may not be replaced. */
    private static void checkTarget(Path target, String fileName, FileOverwrite overwrite) throws IOException {
        BasicFileAttributes attrs = attributesOrNull(target);
        if (attrs == null) {
            return;
        }
        if (attrs.isDirectory()) {
            throw WriteRefusals.directoryInTheWay(fileName);
        }
        if (overwrite == FileOverwrite.REFUSE) {
            throw WriteRefusals.fileExists();
        }
    }

    /** Makes the complete temp file visible under its name in one step. */
    private static void publish(Path temp, Path target, String fileName, FileOverwrite overwrite) throws IOException {
        try {
            switch (overwrite) {
                case REPLACE -> Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                case REFUSE -> link(temp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw WriteRefusals.fileExists();
        } catch (DirectoryNotEmptyException e) {
            throw WriteRefusals.directoryInTheWay(fileName);
        } catch (FileSystemException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw WriteRefusals.directoryInTheWay(fileName); // became a directory meanwhile
            }
            throw e;
        }
    }

    /** A hard link is created atomically and fails if the name exists: a concurrent upload is never overwritten. */
    private static void link(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (UnsupportedOperationException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Removes the directories a failed upload created, innermost first, unless another upload uses them now. */
    private static void removeCreated(List<Path> created) {
        List<Path> innermostFirst = new ArrayList<>(created);
        Collections.reverse(innermostFirst);
        for (Path dir : innermostFirst) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return; // a concurrent upload put something there: it and its parents stay
            } catch (IOException e) {
                LOG.debug("could not remove {} after a failed upload: {}", dir, e.toString());
                return;
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("could not remove the upload temp file {}: {}", temp, e.toString());
        }
    }

    private Path map(long projectId, ModelVersionRef version, FilePath path) {
        Path p = versionDir(projectId, version);
        for (String segment : path.segments()) {
            Path next = p.resolve(segment);
            // FilePath already excludes separators and dot segments; this guards file systems with other rules
            if (!p.equals(next.getParent()) || !next.getFileName().toString().equals(segment)) {
                throw new IllegalArgumentException("segment does not map to one file name: " + segment);
            }
            p = next;
        }
        return p;
    }

    private boolean isServable(Path real) {
        return real.startsWith(root) && !real.equals(root) && !real.startsWith(internal);
    }

    /** Releases this store's upload folder; uploads still running fail. */
    @Override
    public void close() throws IOException {
        digests.close();
        uploads.close();
    }
}
