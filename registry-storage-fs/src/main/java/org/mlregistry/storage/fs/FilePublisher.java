package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.PublishGate;
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.WriteRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How files come and go in the file store: an upload is written to a temp file in the {@link UploadArea}, verified,
 * forced to disk and then published atomically, renamed over the old file (replace; a reader that opened the old
 * one reads it to its end) or hard-linked where nothing is (refuse), through the directory {@link RootPaths} decides;
 * a failed upload leaves no temp file and removes the directories it created. A deleted version's tree is moved out
 * in one rename, then removed. Where paths lead is {@link RootPaths}'s to say.
 *
 * <p>Threading: safe for concurrent use, also by several processes sharing one root.
 */
final class FilePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FilePublisher.class);

    private final RootPaths paths;
    private final UploadArea uploads;
    private final DigestCache digests;

    FilePublisher(RootPaths paths, UploadArea uploads, DigestCache digests) {
        this.paths = paths;
        this.uploads = uploads;
        this.digests = digests;
    }

    @SuppressWarnings("try") // the gate's pass is held by the try, not used in it
    FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content,
                              WriteOptions options) throws IOException {
        Path target = paths.map(projectId, version, path);
        Path parent = Objects.requireNonNull(target.getParent(), "a mapped file always has a directory");
        String fileName = path.fileName();
        List<Path> created = new ArrayList<>();
        Path temp = null;
        boolean stored = false;
        try {
            Path realTarget = paths.directoryInside(parent, created).resolve(fileName);
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
                    realTarget = paths.directoryInside(parent, created).resolve(fileName);
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
    static Sha256 write(InputStream content, Path temp) throws IOException {
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

    /** Refuses before the body is read when the name is a directory, or an existing file may not be replaced. */
    private static void checkTarget(Path target, String fileName, FileOverwrite overwrite) throws IOException {
        BasicFileAttributes attrs = RootPaths.attributesOrNull(target);
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

    /**
     * Removes the file's name from its directory (a link is removed, never what it leads to), then each directory up to
     * the version's own that this left empty; a directory a concurrent upload just wrote into stays (removing a
     * directory that is not empty fails, atomically), and an upload that entered a directory removed here creates it
     * again ({@link #store}'s retry).
     *
     * @return whether there was a file (or a link to one) under that name
     */
    boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        Path target = paths.map(projectId, version, path);
        Path parent = Objects.requireNonNull(target.getParent(), "a mapped file always has a directory");
        Optional<Path> realParent = paths.insideDirectory(parent);
        if (realParent.isEmpty()) {
            return false;
        }
        Path name = realParent.get().resolve(path.fileName());
        BasicFileAttributes attrs = RootPaths.attributesOrNull(name);
        if (attrs == null || !(attrs.isRegularFile() || (attrs.isSymbolicLink() && leadsToAServableFile(name)))) {
            return false; // nothing, a directory, or a link a download would not follow either
        }
        try {
            Files.delete(name);
        } catch (NoSuchFileException raced) {
            return false; // a concurrent deletion got there first
        } catch (FileSystemException e) {
            throw StorageFailures.refusalFor(e).orElseThrow(() -> e);
        }
        if (!realParent.get().equals(parent)) {
            return true; // reached through a link: the directories on the way are not this version's to remove
        }
        Path versionDir = paths.versionDir(projectId, version);
        for (Path dir = parent; dir != null && !dir.equals(versionDir) && dir.startsWith(versionDir); dir = dir.getParent()) {
            BasicFileAttributes d = RootPaths.attributesOrNull(dir);
            if (d == null || !d.isDirectory()) {
                break; // a link leading elsewhere is not ours to remove, nor what lies behind it
            }
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            }
        }
        return true;
    }

    private boolean leadsToAServableFile(Path link) {
        try {
            Path target = link.toRealPath();
            return paths.isServable(target) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false; // dangling or a loop: no file a download would serve
        }
    }

    void deleteVersion(long projectId, ModelVersionRef version) throws IOException {
        Path dir = paths.versionDir(projectId, version);
        if (Files.isSymbolicLink(dir)) {
            Files.delete(dir); // the link goes; whatever it leads to is not ours to delete
        } else if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            removeTree(dir);
        }
        Path sidecars = paths.internal().resolve("digests").resolve(Long.toString(projectId)).resolve(version.directoryName());
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
}
