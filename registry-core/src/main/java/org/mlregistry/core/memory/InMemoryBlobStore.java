package org.mlregistry.core.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.BlobStore;

/**
 * A {@link BlobStore} on the heap, for tests, examples and embedders' tests. {@link #corrupt} alters a stored blob, as
 * bit rot or an operator's mistake would, so that verification can be tested.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryBlobStore implements BlobStore {

    /** A blob's bytes (never changed once stored) and when it was stored. */
    private static final class Stored {
        private final byte[] bytes;
        private final Instant at;

        Stored(byte[] bytes, Instant at) {
            this.bytes = bytes;
            this.at = at;
        }

        byte[] bytes() {
            return bytes;
        }

        Instant at() {
            return at;
        }
    }

    private final ConcurrentSkipListMap<String, Stored> blobs = new ConcurrentSkipListMap<>();
    private final Map<String, Stored> quarantined = new ConcurrentSkipListMap<>();
    private final Clock clock;

    /** An empty store timing its blobs by {@code clock}. */
    public InMemoryBlobStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An empty store on the system clock. */
    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    @Override
    public Optional<Blob> find(Sha256 sha256) {
        Stored s = blobs.get(sha256.hex());
        return s == null ? Optional.empty() : Optional.of(new MemoryBlob(s.bytes()));
    }

    @Override
    public StagedBlob stage(InputStream content) throws IOException {
        byte[] bytes = content.readAllBytes();
        Sha256 sha = Sha256.hash(bytes);
        return new StagedBlob() {
            @Override
            public Sha256 sha256() {
                return sha;
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void publish() {
                blobs.putIfAbsent(sha.hex(), new Stored(bytes, clock.instant()));
            }

            @Override
            public void close() {
                // nothing outside the heap to remove
            }
        };
    }

    @Override
    public void delete(Sha256 sha256) {
        blobs.remove(sha256.hex());
    }

    @Override
    public void quarantine(Sha256 sha256) {
        Stored s = blobs.remove(sha256.hex());
        if (s != null) {
            quarantined.put(sha256.hex(), s);
        }
    }

    @Override
    public List<StoredBlob> list(@Nullable Sha256 after, int limit) {
        return (after == null ? blobs : blobs.tailMap(after.hex(), false)).entrySet().stream().limit(limit)
                .map(e -> new StoredBlob(Sha256.parseHex(e.getKey()), e.getValue().bytes().length, e.getValue().at())).toList();
    }

    /** Replaces the bytes of a stored blob (keeping its name): what bit rot does. */
    public void corrupt(Sha256 sha256, byte[] bytes) {
        blobs.computeIfPresent(sha256.hex(), (k, s) -> new Stored(bytes.clone(), s.at()));
    }

    /** How many blobs are stored, and their total size: what deduplication saves is visible here. */
    public long totalBytes() {
        return blobs.values().stream().mapToLong(s -> s.bytes().length).sum();
    }

    /** Whether a blob was quarantined by verification. */
    public boolean isQuarantined(Sha256 sha256) {
        return quarantined.containsKey(sha256.hex());
    }

    private static final class MemoryBlob implements Blob {
        private final byte[] bytes;

        MemoryBlob(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel open() {
            return new ReadOnlyByteArrayChannel(bytes);
        }
    }
}
