package org.mlregistry.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where uploads are written before they are published: one folder per open store below
 * {@code .mlregistry/uploads/}, holding an exclusive lock on its {@value #LOCK} file for as long as the
 * store is open. A folder whose lock can be taken belongs to a process that is gone (killed mid-upload,
 * say), so opening a store removes it with its temp files; the folders of live processes, on this machine
 * or another sharing the root, stay. No age guesses.
 *
 * <p>Threading: safe for concurrent use.
 */
final class UploadArea implements Closeable {

    static final String LOCK = ".lock";
    /** Temp files of the layout before per-process folders, removed once this old. */
    static final Duration LEGACY_AGE = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(UploadArea.class);

    private final Path parent;
    /**
     * The folders whose locks this JVM holds. Never probed: opening and closing a second channel on a file whose lock
     * this process holds drops that lock (POSIX locks are the process's, per file), and another process would then take
     * the live folder for abandoned and remove its uploads.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path own;
    private final FileChannel lockChannel;
    private final @Nullable FileLock lock;

    private UploadArea(Path parent, Path own, FileChannel lockChannel, @Nullable FileLock lock) {
        this.parent = parent;
        this.own = own;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Removes the folders of processes that are gone, then creates and locks this store's own. */
    static UploadArea open(Path parent, Clock clock) throws IOException {
        Files.createDirectories(parent);
        removeAbandoned(parent, clock);
        Path own = Files.createTempDirectory(parent, "p" + ProcessHandle.current().pid() + "-");
        FileChannel channel = FileChannel.open(own.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | UnsupportedOperationException e) {
            lock = null; // a file system without locks: the folder is only removed by this store's close()
        }
        HELD.add(own.toAbsolutePath().normalize());
        return new UploadArea(parent, own, channel, lock);
    }

    /**
     * A path, not yet taken, in this store's own folder, to move a deleted version's tree to before it is deleted:
     * on the same file system as the storage, and removed with the folder should the process die.
     */
    Path newTrashPath() throws IOException {
        Files.createDirectories(own);
        return own.resolve("deleted-" + UUID.randomUUID());
    }

    /** A new, empty temp file for one upload. */
    Path newTempFile() throws IOException {
        Files.createDirectories(own); // recreated if someone removed it by hand
        return Files.createTempFile(own, "upload-", ".part");
    }

    /** Removes the folders of processes that are gone (killed mid-upload) since this store opened: how many. */
    int removeAbandoned() {
        return removeAbandoned(parent, Clock.systemUTC());
    }

    private static int removeAbandoned(Path parent, Clock clock) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    if (abandoned(entry)) {
                        LOG.info("removing the uploads of a process that is gone: {}", entry.getFileName());
                        deleteTree(entry);
                        removed++;
                    }
                } else if (entry.getFileName().toString().endsWith(".part")
                        && Files.getLastModifiedTime(entry).toInstant().isBefore(clock.instant().minus(LEGACY_AGE))) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not clean abandoned uploads in {}: {}", parent, e.toString());
        }
        return removed;
    }

    /** True when no live process holds the folder's lock. */
    private static boolean abandoned(Path folder) throws IOException {
        if (HELD.contains(folder.toAbsolutePath().normalize())) {
            return false; // this JVM's own: probing it would drop its lock
        }
        Path lockFile = folder.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock taken = channel.tryLock();
            if (taken == null) {
                return false; // another process holds it
            }
            taken.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // another store in this process holds it
        } catch (UnsupportedOperationException e) {
            return false; // cannot tell: leave it
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Releases the lock and removes this store's folder. */
    @Override
    public void close() throws IOException {
        HELD.remove(own.toAbsolutePath().normalize());
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
            if (Files.exists(own)) {
                deleteTree(own);
            }
        }
    }

    @Override
    public String toString() {
        return "UploadArea[" + parent.relativize(own) + "]";
    }
}
