package org.mlregistry.core.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileStore;

/**
 * A {@link ModelFileStore} that keeps files on the heap: for unit tests, examples and embedders'
 * tests, not for real model files. Digests are computed when a file is put, so they are always known.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryModelFileStore implements ModelFileStore {

    private record Key(long projectId, ModelVersionRef version, FilePath path) {
    }

    /** One immutable file; the array is never handed out. */
    private static final class Entry implements ModelFile {
        private final byte[] content;
        private final FileMetadata metadata;
        private final Sha256 sha256;

        Entry(byte[] content, FileMetadata metadata) {
            this.content = content;
            this.metadata = metadata;
            this.sha256 = Sha256.hash(content);
        }

        @Override
        public FileMetadata metadata() {
            return metadata;
        }

        @Override
        public Optional<Sha256> knownSha256() {
            return Optional.of(sha256);
        }

        @Override
        public Sha256 sha256() {
            return sha256;
        }

        @Override
        public SeekableByteChannel open() {
            return new ReadOnlyByteArrayChannel(content);
        }
    }

    private final Clock clock;
    private final ConcurrentMap<Key, Entry> files = new ConcurrentHashMap<>();

    /** An empty store whose files get their modification time from {@code clock}. */
    public InMemoryModelFileStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Puts (or replaces) a file directly, bypassing the registry: test set-up. */
    public void put(long projectId, ModelVersionRef version, FilePath path, byte[] content) {
        byte[] copy = content.clone();
        files.put(new Key(projectId, version, path), new Entry(copy, new FileMetadata(copy.length, clock.instant())));
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) {
        return Optional.ofNullable(files.get(new Key(projectId, version, path)));
    }

    @Override
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content)
            throws IOException {
        Key key = new Key(projectId, version, path);
        if (files.containsKey(key)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        byte[] bytes = content.readAllBytes(); // heap store by design
        Entry entry = new Entry(bytes, new FileMetadata(bytes.length, clock.instant()));
        if (files.putIfAbsent(key, entry) != null) {
            throw new FileAlreadyExistsException(path.toString());
        }
        return entry.metadata();
    }
}
