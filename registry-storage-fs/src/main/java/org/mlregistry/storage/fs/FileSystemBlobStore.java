package org.mlregistry.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs on a file system: {@code <root>/blobs/sha256/ab/cd/<hex>}, beside the directory layout and out of the file
 * route's reach (no project id is {@code blobs}). An upload is staged in the store's upload area (hashed while written,
 * forced to disk) and published by a hard link to the blob's name, which is atomic and never replaces another upload's
 * blob; the directory is forced after it, so a blob the catalog was told about survives a crash of the machine too.
 * Verification moves a corrupt blob to {@code <root>/blobs/quarantine/}.
 *
 * <p>Threading: safe for concurrent use, also by several processes sharing one root.
 */
public final class FileSystemBlobStore implements BlobStore {

    /** The directory below the storage root holding the blobs. */
    public static final String DIR = "blobs";
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemBlobStore.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX2 = Pattern.compile("[0-9a-f]{2}");

    private final Path sha256Dir;
    private final Path quarantineDir;
    private final UploadArea uploads;
    private final Clock clock;

    FileSystemBlobStore(Path root, UploadArea uploads, Clock clock) {
        this.sha256Dir = root.resolve(DIR).resolve("sha256");
        this.quarantineDir = root.resolve(DIR).resolve("quarantine");
        this.uploads = uploads;
        this.clock = clock;
    }

    /** Where the blob named {@code sha256} lies. */
    Path pathOf(Sha256 sha256) {
        String hex = sha256.hex();
        return sha256Dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    @Override
    public Optional<Blob> find(Sha256 sha256) throws IOException {
        Path p = pathOf(sha256);
        BasicFileAttributes attrs = RootPaths.attributesOrNull(p);
        if (attrs == null || !attrs.isRegularFile()) {
            return Optional.empty();
        }
        return Optional.of(new DiskBlob(p, attrs.size()));
    }

    @Override
    public StagedBlob stage(InputStream content) throws IOException {
        Path temp = uploads.newTempFile();
        boolean staged = false;
        try {
            Sha256 sha = FilePublisher.write(content, temp);
            long size = Files.size(temp);
            staged = true;
            return new DiskStaged(temp, sha, size);
        } finally {
            if (!staged) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A file of this store's directory layout is linked, not copied; anything else is streamed. */
    @Override
    public StagedBlob stageCopyOf(ModelFile file, Sha256 sha256) throws IOException {
        if (file instanceof FileSystemModelFile f) {
            try {
                return stageLinked(f.realPath(), sha256, f.stamp());
            } catch (UnsupportedOperationException | FileSystemException noLink) {
                LOG.debug("could not link {}, copying it: {}", f.realPath(), noLink.toString());
            }
        }
        return BlobStore.super.stageCopyOf(file, sha256);
    }

    /**
     * Stages a file that lies on this file system by linking it, without copying it: the migration's way of adopting
     * a file of the directory layout. {@code sha256} is what the file hashed to when it had {@code stamp}; a file whose
     * stamp changed since is staged under the digest of nothing, which the caller sees differs.
     */
    StagedBlob stageLinked(Path file, Sha256 sha256, FileStamp stamp) throws IOException {
        Path temp = uploads.newTempFile();
        Files.delete(temp);
        Files.createLink(temp, file);
        BasicFileAttributes now = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean unchanged = FileStamp.of(now).equals(stamp);
        return new DiskStaged(temp, unchanged ? sha256 : Sha256.hash(new byte[0]), now.size());
    }

    @Override
    public void delete(Sha256 sha256) throws IOException {
        Files.deleteIfExists(pathOf(sha256));
    }

    @Override
    public void quarantine(Sha256 sha256) throws IOException {
        Files.createDirectories(quarantineDir);
        try {
            Files.move(pathOf(sha256), quarantineDir.resolve(sha256.hex() + "." + clock.millis()), StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("quarantined the blob {} in {}", sha256.hex(), quarantineDir);
        } catch (NoSuchFileException e) {
            // gone already
        }
    }

    @Override
    public List<StoredBlob> list(@Nullable Sha256 after, int limit) throws IOException {
        String from = after == null ? "" : after.hex();
        List<StoredBlob> out = new ArrayList<>();
        for (String ab : sortedNames(sha256Dir, HEX2)) {
            if (ab.compareTo(prefix(from, 2)) < 0) {
                continue;
            }
            for (String cd : sortedNames(sha256Dir.resolve(ab), HEX2)) {
                if ((ab + cd).compareTo(prefix(from, 4)) < 0) {
                    continue;
                }
                Path dir = sha256Dir.resolve(ab).resolve(cd);
                for (String hex : sortedNames(dir, HEX64)) {
                    if (hex.compareTo(from) <= 0 || !hex.startsWith(ab + cd)) {
                        continue;
                    }
                    BasicFileAttributes a = RootPaths.attributesOrNull(dir.resolve(hex));
                    if (a != null && a.isRegularFile()) {
                        out.add(new StoredBlob(Sha256.parseHex(hex), a.size(), a.lastModifiedTime().toInstant()));
                        if (out.size() >= limit) {
                            return out;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String prefix(String hex, int length) {
        return hex.length() < length ? hex : hex.substring(0, length);
    }

    private static List<String> sortedNames(Path dir, Pattern names) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (names.matcher(name).matches()) {
                    out.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    @Override
    public int removeAbandonedStaging(long olderThanSeconds) {
        return uploads.removeAbandoned();
    }

    @Override
    public void checkReachable() throws IOException {
        Files.createDirectories(sha256Dir);
    }

    /** Forces a directory's entries to disk, where the platform allows it (Linux does; some do not open directories). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("could not force the directory {}: {}", dir, e.toString());
        }
    }

    private record DiskBlob(Path path, long size) implements Blob {
        @Override
        public SeekableByteChannel open() throws IOException {
            return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** A staged upload: a temp file of the upload area, linked to the blob's name when published. */
    private final class DiskStaged implements StagedBlob {
        private final Path temp;
        private final Sha256 sha;
        private final long size;

        DiskStaged(Path temp, Sha256 sha, long size) {
            this.temp = temp;
            this.sha = sha;
            this.size = size;
        }

        @Override
        public Sha256 sha256() {
            return sha;
        }

        @Override
        public long size() {
            return size;
        }

        /**
         * A hard link to the temp file under the blob's name: atomic, never over another upload's blob, and the temp
         * file stays for a later call. A blob of another size under the name (bytes altered since) is replaced; where
         * the file system has no hard links, a forced copy of the temp file is renamed into place.
         */
        @Override
        public void publish() throws IOException {
            Path target = pathOf(sha);
            BasicFileAttributes a = RootPaths.attributesOrNull(target);
            if (a != null && a.isRegularFile() && a.size() == size) {
                return;
            }
            Path dir = Objects.requireNonNull(target.getParent(), "a blob's path has its directory");
            try {
                Files.createDirectories(dir);
                if (a != null) {
                    LOG.warn("the blob {} had {} bytes where {} were uploaded: replaced", sha.hex(), a.size(), size);
                    renameCopyInto(target);
                } else {
                    try {
                        Files.createLink(target, temp);
                    } catch (FileAlreadyExistsException raced) {
                        return; // another upload of the same bytes published first
                    } catch (UnsupportedOperationException | FileSystemException noLinks) {
                        renameCopyInto(target);
                    }
                }
            } catch (FileSystemException e) {
                throw StorageFailures.refusalFor(e).orElseThrow(() -> e);
            }
            forceDirectory(dir);
        }

        /** A forced copy of the temp file, renamed over {@code target} in one step. */
        private void renameCopyInto(Path target) throws IOException {
            Path copy = uploads.newTempFile();
            try {
                try (FileChannel in = FileChannel.open(temp, StandardOpenOption.READ);
                     FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (long at = 0; at < size; ) {
                        long n = in.transferTo(at, size - at, out);
                        if (n <= 0) {
                            throw new IOException("the staged upload " + temp.getFileName() + " shrank while it was published");
                        }
                        at += n;
                    }
                    out.force(true);
                }
                Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(copy);
            }
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(temp);
        }
    }
}
