package org.mlregistry.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.mlregistry.core.memory.ReadOnlyByteArrayChannel;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.ModelFile;

/**
 * A file found on disk, opened from its checked real path without following a link swapped in since; a small
 * one is read whole and kept for its stamp, and later answered from memory.
 */
record FileSystemModelFile(Path realPath, FileMetadata metadata, FileStamp stamp, DigestCache digests, SmallFileCache smallFiles)
        implements ModelFile {

    /** Files up to this size are hashed on their first request rather than in the background. */
    static final long INLINE_HASH_LIMIT = 16L << 20;

    /**
     * Opens the file found, never another: when the name was replaced (or changed) since it was found,
     * the channel is closed again and {@link NoSuchFileException} says so, so the caller looks it up anew
     * instead of sending new bytes under the old file's validators.
     */
    @Override
    public SeekableByteChannel open() throws IOException {
        boolean small = stamp.size() <= SmallFileCache.MAX_FILE;
        if (small) {
            byte[] cached = smallFiles.get(realPath, stamp);
            if (cached != null) {
                return new ReadOnlyByteArrayChannel(cached);
            }
        }
        FileChannel channel = openFound();
        if (!small) {
            return channel;
        }
        try (channel) {
            ByteBuffer bytes = ByteBuffer.allocate((int) stamp.size());
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // to the end
            }
            if (bytes.hasRemaining() || channel.read(ByteBuffer.allocate(1)) >= 0) {
                throw new NoSuchFileException(realPath.toString(), null, "changed while it was read");
            }
            smallFiles.put(realPath, stamp, bytes.array());
            return new ReadOnlyByteArrayChannel(bytes.array());
        }
    }

    private FileChannel openFound() throws IOException {
        FileChannel channel = FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            BasicFileAttributes now = Files.readAttributes(realPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (FileStamp.of(now).equals(stamp)) {
                return channel;
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        channel.close();
        throw new NoSuchFileException(realPath.toString(), null, "changed since it was found");
    }

    @Override
    public Optional<Sha256> knownSha256() {
        return digests.known(realPath, stamp);
    }

    @Override
    public Sha256 sha256() throws IOException {
        return digests.get(realPath, stamp);
    }

    /**
     * Never waits for a large file: one not hashed yet is queued for the background hashers. A file of up to
     * {@value #INLINE_HASH_LIMIT} bytes is hashed now (milliseconds), so that it has validators from its first answer.
     */
    @Override
    public Optional<Sha256> readySha256() throws IOException {
        Optional<Sha256> known = digests.known(realPath, stamp);
        if (known.isPresent()) {
            return known;
        }
        if (stamp.size() <= INLINE_HASH_LIMIT) {
            return Optional.of(digests.get(realPath, stamp));
        }
        digests.hashLater(realPath, stamp);
        return Optional.empty();
    }
}
