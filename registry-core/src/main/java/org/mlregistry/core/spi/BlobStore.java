package org.mlregistry.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;

/**
 * Bytes stored once per content, named by their SHA-256 ({@code blobs/sha256/ab/cd/<hex>}): what a registry with a
 * catalog keeps its files in, the catalog's manifests saying which path of which version is which blob. A blob never
 * changes once stored; it is written by staging (streamed to a temporary place and hashed) and publishing (made the
 * blob of its digest, or dropped when that blob exists), and removed only by the registry's garbage collection. The
 * core test-jar's {@code BlobStoreContract} is what every blob store must pass.
 *
 * <p>Threading: implementations must be safe for concurrent calls, also from several processes sharing one storage.
 */
public interface BlobStore {

    /**
     * The blob named {@code sha256}, if storage has it.
     *
     * @throws IOException when storage cannot be read
     */
    Optional<Blob> find(Sha256 sha256) throws IOException;

    /**
     * Streams {@code content} (read to its end, not closed) to a temporary place, hashing it, and forces it to stable
     * storage. Nothing is visible until {@link StagedBlob#publish()}; closing the staged blob removes what was
     * written. When this throws, nothing stays; an exception thrown by {@code content} propagates as it is.
     *
     * @throws org.mlregistry.core.RegistryException {@code INSUFFICIENT_STORAGE} when storage is full
     * @throws IOException when storage fails for another reason
     */
    StagedBlob stage(InputStream content) throws IOException;

    /**
     * Stages the content of {@code file}, a file of the directory layout being adopted into a manifest, whose SHA-256 is
     * {@code sha256}: without copying where the store can (a hard link on disk, a server-side copy in a bucket); the
     * default streams it through {@link #stage}. The staged digest is the file's as read now, which the caller compares
     * with {@code sha256} (a file changed meanwhile is not adopted).
     *
     * @throws IOException when the file cannot be read or storage fails
     */
    default StagedBlob stageCopyOf(ModelFile file, Sha256 sha256) throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = file.open();
             InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
            return stage(in);
        }
    }

    /**
     * Removes the blob; nothing happens when there is none. Only the garbage collection calls it, under the catalog's
     * lock of the blob ({@link ManifestCatalog#collectBlob}).
     *
     * @throws IOException when storage cannot be written
     */
    void delete(Sha256 sha256) throws IOException;

    /**
     * Takes a blob whose bytes do not match its name out of service: moved aside where an operator can look at it
     * (the default deletes it), so that no process serves it again. Only {@code verify} calls it.
     *
     * @throws IOException when storage cannot be written
     */
    default void quarantine(Sha256 sha256) throws IOException {
        delete(sha256);
    }

    /**
     * The stored blobs named after {@code after} (all from the first when {@code null}), at most {@code limit}, in
     * the order of their names: a page of them, the next one starting after the last of this one.
     *
     * @throws IOException when storage cannot be read
     */
    List<StoredBlob> list(@Nullable Sha256 after, int limit) throws IOException;

    /**
     * Removes what staging left behind that is older than {@code olderThanSeconds} (a process killed mid-upload) and
     * belongs to no live upload; the default, for a store that leaves nothing, does nothing.
     *
     * @return how many were removed
     * @throws IOException when storage cannot be read
     */
    default int removeAbandonedStaging(long olderThanSeconds) throws IOException {
        return 0;
    }

    /**
     * Returns when storage answers now and throws when it does not: the registry's health check.
     *
     * @throws IOException when it cannot be reached
     */
    default void checkReachable() throws IOException {
    }

    /**
     * A stored blob: its size, its bytes, and (object storage) a URL from which a client may fetch them itself.
     *
     * <p>Threading: every method may be called any number of times, concurrently; each channel is independent.
     */
    interface Blob {

        /** Its length in bytes. */
        long size();

        /**
         * Opens the content for reading; the caller closes the channel. A local file's is a
         * {@link java.nio.channels.FileChannel}.
         *
         * @throws java.nio.file.NoSuchFileException when the blob vanished since it was found
         * @throws IOException when it cannot be opened
         */
        SeekableByteChannel open() throws IOException;

        /**
         * A short-lived signed URL for the bytes, whose download is named {@code fileName}
         * ({@code Content-Disposition}); empty (the default) when they are to be streamed from {@link #open()}.
         *
         * @throws IOException when the store cannot sign a URL now
         */
        default Optional<URI> redirect(String fileName) throws IOException {
            return Optional.empty();
        }
    }

    /**
     * An upload staged by {@link #stage}: its digest and size are known, its bytes not yet the blob.
     *
     * <p>Threading: used by one thread at a time.
     */
    interface StagedBlob extends AutoCloseable {

        /** The SHA-256 of the staged bytes. */
        Sha256 sha256();

        /** Their length. */
        long size();

        /**
         * Makes the staged bytes the blob {@link #sha256()} names, unless storage has that blob already (its bytes
         * are the same); either way the blob exists when this returns. May be called again, for instance when the
         * blob was collected meanwhile.
         *
         * @throws IOException when storage fails
         */
        void publish() throws IOException;

        /** Removes whatever of the staged bytes was not published. */
        @Override
        void close() throws IOException;
    }
}
