package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files on a file system, laid out as {@code <root>/<projectId>/<versionDir>/<path...>/<file_name>}
 * (a candidate's directory is {@code candidate_<iid>}). Files placed there by hand are served.
 *
 * <p>Safety: only validated segments are ever joined to the root; every path is resolved to its real
 * path and refused unless it lies inside the root, so a symlink cannot lead a download (or an upload)
 * outside it. The registry's own files (upload temp files, digest sidecars) live in {@value #INTERNAL_DIR},
 * a name no project id can take. Each file's SHA-256 is computed once per file version (while uploading,
 * or on first request for a file placed by hand) and kept beside, keyed by size, time and inode.
 * Uploads are written to a temp file, forced to disk and then linked into place atomically, so readers never see a partial file and an existing file is never replaced.
 *
 * <pre>{@code
 * ModelFileStore store = new FileSystemModelFileStore(Path.of("/var/lib/mlregistry"));
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, also by several processes sharing one root.
 */
public final class FileSystemModelFileStore implements ModelFileStore {

    /** The directory below the root that holds the registry's own files. */
    public static final String INTERNAL_DIR = ".mlregistry";
    /** Upload temp files older than this are assumed abandoned by a crashed process and removed at start. */
    static final Duration STALE_UPLOAD_AGE = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelFileStore.class);

    private final Path root;
    private final Path internal;
    private final Path uploads;
    private final DigestCache digests;

    /**
     * Opens the store at {@code root}, which must be an existing directory.
     *
     * @throws IOException when the root is missing or its internal directory cannot be created
     */
    public FileSystemModelFileStore(Path root) throws IOException {
        this(root, Clock.systemUTC());
    }

    FileSystemModelFileStore(Path root, Clock clock) throws IOException {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "storage root is not a directory");
        }
        this.root = root.toRealPath();
        this.internal = this.root.resolve(INTERNAL_DIR);
        this.uploads = internal.resolve("uploads");
        Files.createDirectories(uploads);
        this.digests = new DigestCache(this.root, internal.resolve("digests"));
        removeStaleUploads(clock);
    }

    /**
     * How many times a file was read to compute its digest since this store was opened: files placed by
     * hand cost one hash each, uploads none (they are hashed while written). A metric, and the proof in
     * tests that a digest is not computed twice.
     */
    public long hashesComputed() {
        return digests.hashesComputed();
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        Path candidate = map(projectId, version, path);
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
            // ENOTDIR arrives as a plain FileSystemException: a file stands where a directory should
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            throw e;
        }
        if (!attrs.isRegularFile()) {
            return Optional.empty();
        }
        return Optional.of(new FileSystemModelFile(real,
                new FileMetadata(attrs.size(), attrs.lastModifiedTime().toInstant()), FileStamp.of(attrs), digests));
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
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content)
            throws IOException {
        Path target = map(projectId, version, path);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Path parent = Objects.requireNonNull(target.getParent(), "a mapped file always has a directory");
        Path realTarget = directoryInside(parent, path).resolve(target.getFileName().toString());
        Path temp = Files.createTempFile(uploads, "upload-", ".part");
        MessageDigest sha = Sha256.newDigest();
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                new DigestInputStream(content, sha).transferTo(out);
                channel.force(true);
            }
            publish(temp, realTarget, path);
        } finally {
            Files.deleteIfExists(temp);
        }
        BasicFileAttributes attrs = Files.readAttributes(realTarget, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        digests.put(realTarget, FileStamp.of(attrs), Sha256.of(sha.digest()));
        return new FileMetadata(attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    /**
     * Creates {@code dir} one level at a time, checking each level before going deeper, so that a
     * symbolic link leading outside the root is refused before anything is created behind it.
     *
     * @return the real path of {@code dir}
     */
    private Path directoryInside(Path dir, FilePath path) throws IOException {
        Path real = root;
        for (Path name : root.relativize(dir)) {
            Path next = real.resolve(name);
            try {
                Files.createDirectory(next);
            } catch (FileAlreadyExistsException e) {
                // a directory, a file or a link already stands there: checked just below
            }
            real = next.toRealPath();
            if (!isServable(real) || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("refusing to write " + path + ": its directory is not a directory inside the storage root");
            }
        }
        return real;
    }

    /** Makes the complete temp file visible under its name, never replacing an existing file. */
    private static void publish(Path temp, Path target, FilePath path) throws IOException {
        try {
            // a hard link is created atomically and fails if the name exists: no reader sees a partial
            // file and a concurrent upload of the same name cannot be overwritten
            Files.createLink(target, temp);
        } catch (UnsupportedOperationException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(path.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Path map(long projectId, ModelVersionRef version, FilePath path) {
        Path p = root.resolve(Long.toString(projectId)).resolve(version.directoryName());
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

    private void removeStaleUploads(Clock clock) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uploads, "upload-*.part")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(clock.instant().minus(STALE_UPLOAD_AGE))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not clean stale uploads in {}: {}", uploads, e.toString());
        }
    }
}
