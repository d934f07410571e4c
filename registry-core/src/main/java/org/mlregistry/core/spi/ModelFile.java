package org.mlregistry.core.spi;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.Sha256;

/**
 * A stored model file that a {@link ModelFileResolver} found: its metadata, known without reading it; its
 * digest, if already known; and how its bytes are delivered: streamed from {@link #open()}, or, when the
 * store can sign one, fetched by the client from a {@link #redirect()} URL (object storage).
 *
 * <p>Threading: every method may be called any number of times, concurrently; each channel is
 * independent.
 */
public interface ModelFile {

    /** Size and modification time as they were when the file was found. */
    FileMetadata metadata();

    /**
     * The SHA-256 of the content if the store knows it without reading the file (recorded at upload, or
     * computed earlier); empty for a file placed in storage by other means and not hashed yet.
     */
    Optional<Sha256> knownSha256();

    /**
     * The SHA-256 of the content. Implementations keep it per file version (it is the file's ETag), so
     * that answering HEAD or a conditional request never reads the file; when {@link #knownSha256()} is
     * empty this hashes the file, and concurrent first calls hash it once.
     *
     * @throws IOException when the content cannot be read for hashing
     */
    Sha256 sha256() throws IOException;

    /**
     * The SHA-256 when it is known now; otherwise empty, after arranging for it to be computed in the
     * background, so that a request never waits for a large file to be hashed: the HTTP layer then answers
     * without {@code ETag} and digest headers (validating by {@code Last-Modified}) until it is known. The
     * default, for stores that cannot hash in the background, computes it now.
     *
     * @throws IOException when the default computation cannot read the content
     */
    default Optional<Sha256> readySha256() throws IOException {
        return Optional.of(sha256());
    }

    /**
     * Opens the content for reading. The caller closes the channel. Implementations backed by a local
     * file return a {@link java.nio.channels.FileChannel}, which lets the HTTP layer use positional reads.
     *
     * @throws java.nio.file.NoSuchFileException when the file vanished since it was found
     * @throws IOException when it cannot be opened
     */
    SeekableByteChannel open() throws IOException;

    /**
     * A short-lived URL, signed by the store, from which a client that was already authorized may fetch
     * the bytes itself; empty (the default) when the bytes are to be streamed from {@link #open()}. The
     * GitLab file route answers a present URL with a redirect, as GitLab does for object storage.
     *
     * @throws IOException when the store cannot sign a URL now
     */
    default Optional<URI> redirect() throws IOException {
        return Optional.empty();
    }
}
