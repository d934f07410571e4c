package org.mlregistry.storage.fs;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of small files, so that the files a registry is asked for most (configs, tokenizers, metadata)
 * are answered without opening, reading and closing them each time. An entry is keyed by real path and valid
 * only for the {@link FileStamp} (size, modification time, inode) it was read at, the same identity the
 * digest cache trusts; the request's own lookup supplies the current stamp, so a replaced file is never
 * answered from here. The total is bounded (approximately, under races) by emptying the cache when full.
 *
 * <p>Threading: safe for concurrent use.
 */
final class SmallFileCache {

    /** Files up to this size are kept. */
    static final int MAX_FILE = 64 * 1024;
    /** About this many bytes are kept in all. */
    static final long MAX_TOTAL = 32L << 20;

    /** Not a record: a record's equality would compare the array by identity. */
    private static final class Entry {
        private final FileStamp stamp;
        private final byte[] bytes;

        Entry(FileStamp stamp, byte[] bytes) {
            this.stamp = stamp;
            this.bytes = bytes;
        }

        FileStamp stamp() {
            return stamp;
        }

        byte[] bytes() {
            return bytes;
        }
    }

    private final ConcurrentMap<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    /** The bytes of {@code file} as it is at {@code stamp}, or {@code null}. */
    byte @Nullable [] get(Path file, FileStamp stamp) {
        Entry e = entries.get(file);
        return e != null && e.stamp().equals(stamp) ? e.bytes() : null;
    }

    /** Keeps {@code bytes}, read from {@code file} at {@code stamp}. */
    void put(Path file, FileStamp stamp, byte[] bytes) {
        if (total.addAndGet(bytes.length) > MAX_TOTAL) {
            entries.clear();
            total.set(bytes.length);
        }
        Entry old = entries.put(file, new Entry(stamp, bytes));
        if (old != null) {
            total.addAndGet(-old.bytes().length);
        }
    }
}
