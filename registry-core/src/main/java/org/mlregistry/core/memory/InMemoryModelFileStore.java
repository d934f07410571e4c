package org.mlregistry.core.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
import org.mlregistry.core.spi.WriteOptions;
import org.mlregistry.core.spi.WriteRefusals;

/**
 * A {@link ModelFileStore} that keeps files on the heap: for unit tests, examples and embedders'
 * tests, not for real model files. Digests are computed when a file is put, so they are always known.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryModelFileStore implements ModelFileStore {

    private record Key(long projectId, ModelVersionRef version, FilePath path) {
    }

    private record VersionKey(long projectId, ModelVersionRef version) {
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
    private final Map<Key, Entry> files = new ConcurrentHashMap<>();
    private final Set<VersionKey> emptyVersions = ConcurrentHashMap.newKeySet();

    /** An empty store whose files get their modification time from {@code clock}. */
    public InMemoryModelFileStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Puts (or replaces) a file directly, bypassing the registry: test set-up. */
    public void put(long projectId, ModelVersionRef version, FilePath path, byte[] content) {
        byte[] copy = content.clone();
        files.put(new Key(projectId, version, path), new Entry(copy, new FileMetadata(copy.length, clock.instant())));
    }

    /** Gives a version a place in storage without files, as an empty directory does: test set-up. */
    public void addVersion(long projectId, ModelVersionRef version) {
        emptyVersions.add(new VersionKey(projectId, version));
    }

    @Override
    public boolean hasVersion(long projectId, ModelVersionRef version) {
        return emptyVersions.contains(new VersionKey(projectId, version))
                || files.keySet().stream().anyMatch(k -> k.projectId() == projectId && k.version().equals(version));
    }

    @Override
    public List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) {
        List<String> dir = directory.segments();
        Map<String, FileEntry> entries = new TreeMap<>();
        files.forEach((k, e) -> {
            List<String> segments = k.path().segments();
            if (k.projectId() == projectId && k.version().equals(version) && segments.size() > dir.size()
                    && segments.subList(0, dir.size()).equals(dir)) {
                String name = segments.get(dir.size());
                entries.put(name, segments.size() == dir.size() + 1 ? FileEntry.file(name, e.metadata.size())
                        : FileEntry.directory(name));
            }
        });
        return List.copyOf(entries.values());
    }

    @Override
    public void deleteVersion(long projectId, ModelVersionRef version) {
        emptyVersions.remove(new VersionKey(projectId, version));
        files.keySet().removeIf(k -> k.projectId() == projectId && k.version().equals(version));
    }

    /** Removes the file; the version keeps its place, as its directory does on disk. */
    @Override
    public synchronized boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) {
        Key key = new Key(projectId, version, path);
        if (!files.containsKey(key)) {
            return false;
        }
        emptyVersions.add(new VersionKey(projectId, version)); // first: a reader never sees the version without a place
        return files.remove(key) != null;
    }

    @Override
    public Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) {
        return Optional.ofNullable(files.get(new Key(projectId, version, path)));
    }

    @Override
    @SuppressWarnings("try") // the gate's pass is held by the try, not used in it
    public FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content,
                              WriteOptions options) throws IOException {
        byte[] bytes = content.readAllBytes(); // heap store by design
        Entry entry = new Entry(bytes, new FileMetadata(bytes.length, clock.instant()));
        Optional<Sha256> expected = options.expectedSha256();
        if (expected.isPresent() && !expected.get().equals(entry.sha256)) {
            throw WriteRefusals.checksumMismatch(entry.sha256, expected.get());
        }
        Key key = new Key(projectId, version, path);
        try (PublishGate.Pass pass = options.gate().enter()) {
            synchronized (files) { // the conflict checks and the write are one step
                checkNoConflict(key);
                if (options.overwrite() == FileOverwrite.REFUSE && files.containsKey(key)) {
                    throw WriteRefusals.fileExists();
                }
                files.put(key, entry);
            }
        }
        return entry.metadata();
    }

    /** No file stands where the path needs a directory, and no file lies below the path itself. */
    private void checkNoConflict(Key key) {
        List<String> dirs = key.path().directories();
        for (Key other : files.keySet()) {
            if (other.projectId() != key.projectId() || !other.version().equals(key.version())) {
                continue;
            }
            List<String> otherSegments = other.path().segments();
            if (otherSegments.size() <= dirs.size() && dirs.subList(0, otherSegments.size()).equals(otherSegments)) {
                throw WriteRefusals.fileInTheWay(other.path().fileName());
            }
            List<String> segments = key.path().segments();
            if (other.path().directories().size() >= segments.size()
                    && other.path().directories().subList(0, segments.size()).equals(segments)) {
                throw WriteRefusals.directoryInTheWay(key.path().fileName());
            }
        }
    }
}
