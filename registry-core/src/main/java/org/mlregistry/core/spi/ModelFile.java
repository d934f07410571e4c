package org.mlregistry.core.spi;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;

/**
 * A stored model file that a {@link ModelFileResolver} found: its metadata, known without reading it,
 * and a way to read its bytes.
 *
 * <p>Threading: {@link #open()} may be called any number of times, concurrently; each channel is
 * independent.
 */
public interface ModelFile {

    /** Size and modification time as they were when the file was found. */
    FileMetadata metadata();

    /**
     * The SHA-256 of the content. Implementations keep it per file version (it is the file's ETag), so
     * that answering HEAD or a conditional request never reads the file; the first call for a file placed
     * in storage by other means may have to hash it, and concurrent first calls hash it once.
     *
     * @throws IOException when the content cannot be read for hashing
     */
    Sha256 sha256() throws IOException;

    /**
     * Opens the content for reading. The caller closes the channel. Implementations backed by a local
     * file return a {@link java.nio.channels.FileChannel}, which lets the HTTP layer use positional reads.
     *
     * @throws java.nio.file.NoSuchFileException when the file vanished since it was found
     * @throws IOException when it cannot be opened
     */
    SeekableByteChannel open() throws IOException;
}
