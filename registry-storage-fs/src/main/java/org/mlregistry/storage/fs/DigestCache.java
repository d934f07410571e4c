package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.RegistryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 digests of stored files, computed once per file version and kept in two places: a bounded
 * in-memory LRU for speed, and a sidecar file under {@code <root>/.mlregistry/digests/} (which no request
 * can address) so a restart does not re-hash gigabytes. An entry is valid only for the {@link FileStamp}
 * it was computed for. A file is hashed in one pass however many ask for it, by the first caller of
 * {@link #get} or, for {@link #hashLater}, by a small pool of lowest-priority daemon threads, so that a
 * request never waits for a large file placed by hand.
 *
 * <p>Threading: safe for concurrent use.
 */
final class DigestCache implements AutoCloseable {

    /** Entries kept in memory; each is under 200 bytes. */
    static final int MAX_IN_MEMORY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DigestCache.class);
    private static final int HASH_BUFFER = 256 * 1024;
    private static final String SUFFIX = ".sha256";
    /** Files this large get a log line when their hashing starts and ends. */
    private static final long LARGE = 256L << 20;

    private record Entry(FileStamp stamp, Sha256 sha) {
    }

    private record Key(Path file, FileStamp stamp) {
    }

    private final Path root;
    private final Path dir;
    /** Read on every request by every thread: a concurrent map, emptied when full (the sidecars refill it). */
    private final ConcurrentMap<Path, Entry> memory = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, CompletableFuture<Sha256>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong hashed = new AtomicLong();
    private final ThreadPoolExecutor background;
    private final RegistryObserver observer;

    // a hint only: serving threads should win the CPU, nothing depends on the scheduler honouring it
    @SuppressWarnings("ThreadPriorityCheck")
    DigestCache(Path root, Path dir, int hashThreads, RegistryObserver observer) {
        this.root = root;
        this.dir = dir;
        this.observer = observer;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(hashThreads, hashThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, "mlregistry-digest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY); // hashing yields to serving
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.background = pool;
    }

    /**
     * Starts hashing {@code file} at {@code stamp} in the background unless its digest is known or being
     * computed; returns at once.
     */
    void hashLater(Path file, FileStamp stamp) {
        Key key = new Key(file, stamp);
        if (inFlight.containsKey(key) || known(file, stamp).isPresent()) {
            return;
        }
        CompletableFuture<Sha256> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    compute(file, stamp, key, mine);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("background hashing of {} failed: {}", file, e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            inFlight.remove(key, mine);
            mine.cancel(false);
        }
    }

    /** Hashes in the background every file version below the root not hashed yet (start-up option). */
    void hashAll(Path internal, Path blobs) {
        background.execute(() -> {
            long[] counts = new long[2];
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> !f.startsWith(internal) && !f.startsWith(blobs)).forEach(f -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (a.isRegularFile() && known(f, FileStamp.of(a)).isEmpty()) {
                            counts[0]++;
                            counts[1] += a.size();
                            hashLater(f, FileStamp.of(a));
                        }
                    } catch (IOException e) {
                        LOG.debug("not hashing {}: {}", f, e.toString());
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not list the storage root to hash it: {}", e.toString());
            }
            LOG.info("hashing {} files ({} bytes) not hashed yet, in the background", counts[0], counts[1]);
        });
    }

    /** True when no background hashing is queued or running (for tests and start-up progress). */
    boolean idle() {
        return background.getQueue().isEmpty() && background.getActiveCount() == 0;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }

    /** The digest of {@code file} (a real path inside the root) as it is at {@code stamp}. */
    Sha256 get(Path file, FileStamp stamp) throws IOException {
        Optional<Sha256> known = known(file, stamp);
        if (known.isPresent()) {
            return known.get();
        }
        Key key = new Key(file, stamp);
        CompletableFuture<Sha256> mine = new CompletableFuture<>();
        CompletableFuture<Sha256> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        return compute(file, stamp, key, mine);
    }

    /** Hashes {@code file} once, completing {@code mine} (registered under {@code key}) for everyone waiting. */
    private Sha256 compute(Path file, FileStamp stamp, Key key, CompletableFuture<Sha256> mine) throws IOException {
        long started = System.nanoTime();
        try {
            if (stamp.size() >= LARGE) {
                LOG.info("hashing {} ({} MiB)", root.relativize(file), stamp.size() >> 20);
            }
            Sha256 sha = hash(file);
            hashed.incrementAndGet();
            long took = System.nanoTime() - started;
            observer.digestComputed(stamp.size(), took);
            if (stamp.size() >= LARGE) {
                LOG.info("hashed {} ({} MiB) in {} ms", root.relativize(file), stamp.size() >> 20, took / 1_000_000);
            }
            FileStamp after = FileStamp.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            if (after.equals(stamp)) {
                put(file, stamp, sha);
            }
            mine.complete(sha);
            return sha;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** How many times a file was read to hash it (for tests and metrics). */
    long hashesComputed() {
        return hashed.get();
    }

    /** Records a digest known from elsewhere (an upload hashed while it was written). */
    void put(Path file, FileStamp stamp, Sha256 sha) {
        remember(file, new Entry(stamp, sha));
        writeSidecar(file, stamp, sha);
    }

    /** The digest of {@code file} at {@code stamp} if memory or its sidecar has it; never reads the file. */
    Optional<Sha256> known(Path file, FileStamp stamp) {
        Entry e = memory.get(file);
        if (e != null && e.stamp().equals(stamp)) {
            return Optional.of(e.sha());
        }
        Optional<Sha256> fromDisk = readSidecar(file, stamp);
        fromDisk.ifPresent(sha -> remember(file, new Entry(stamp, sha)));
        return fromDisk;
    }

    private void remember(Path file, Entry entry) {
        if (memory.size() >= MAX_IN_MEMORY) {
            memory.clear();
        }
        memory.put(file, entry);
    }

    private Path sidecar(Path file) {
        return dir.resolve(root.relativize(file).toString() + SUFFIX);
    }

    private static String line(FileStamp stamp, Sha256 sha) {
        return "sha256 " + sha.hex() + " " + stamp.size() + " " + stamp.modifiedNanos() + " " + stamp.fileKey() + "\n";
    }

    private Optional<Sha256> readSidecar(Path file, FileStamp stamp) {
        try {
            String content = Files.readString(sidecar(file), StandardCharsets.US_ASCII);
            String[] f = content.strip().split(" ", -1);
            if (f.length == 5 && f[0].equals("sha256") && content.equals(line(stamp, Sha256.parseHex(f[1])))) {
                return Optional.of(Sha256.parseHex(f[1]));
            }
        } catch (NoSuchFileException e) {
            // not hashed yet
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("ignoring unreadable digest sidecar for {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    private void writeSidecar(Path file, FileStamp stamp, Sha256 sha) {
        Path target = sidecar(file);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".digest-", ".tmp");
            try {
                Files.writeString(temp, line(stamp, sha), StandardCharsets.US_ASCII);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // the in-memory entry still serves; the file is hashed again after a restart
            LOG.debug("could not persist the digest of {}: {}", file, e.toString());
        }
    }

    private static Sha256 hash(Path file) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (ch.read(buffer.clear()) >= 0) {
                sha.update(buffer.flip());
            }
        }
        return Sha256.of(sha.digest());
    }

    private static Sha256 await(CompletableFuture<Sha256> running) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a digest");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("hashing failed", e.getCause());
        }
    }
}
