package org.mlregistry.core.spi;

import java.io.IOException;
import java.io.InputStream;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/**
 * Accepts uploads of model files: the write role of storage, given to
 * {@link org.mlregistry.core.ModelRegistry.Builder#uploads} (a registry without one is read-only). A
 * writer never exposes a partly written file: readers see the old file (or none) or the whole new one,
 * and a reader that opened the old file reads it to its end.
 *
 * <p>Threading: implementations must be safe for concurrent calls; concurrent uploads of one path end
 * with the whole of one of them stored (with {@link org.mlregistry.core.model.FileOverwrite#REFUSE}, the
 * others refused).
 */
public interface ModelFileWriter {

    /**
     * Stores {@code content} as the file {@code path} of the version, creating its directories as needed,
     * and records its SHA-256 so that no later request has to read the file to know it. Reads
     * {@code content} to its end but does not close it. Whenever this method does not return normally,
     * nothing is stored, no temporary file is left and the directories it created are removed; an
     * exception thrown by {@code content} (including an unchecked one) propagates as it is.
     *
     * <p>The step that makes the file visible is taken inside a pass of {@code options.gate()} ({@link PublishGate}),
     * opened right before it and closed right after; when the gate refuses, nothing is stored.
     *
     * <p>Refusals are {@link org.mlregistry.core.RegistryException}s: {@code FILE_EXISTS} (refuse mode),
     * {@code PATH_CONFLICT} (a part of the path is a file, or the file name is a directory, or leads
     * outside the storage), {@code CHECKSUM_MISMATCH}, {@code PATH_TOO_LONG} (the storage cannot hold such
     * a name) and {@code INSUFFICIENT_STORAGE} (disk full or quota). The answer never depends on anything
     * outside the storage.
     *
     * @return the metadata of the stored file
     * @throws IOException when storage fails for another reason
     */
    FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content, WriteOptions options)
            throws IOException;

    /**
     * Deletes the file {@code path} of the version, and the directories its removal leaves empty (not the version's own
     * place, where storage has one: in object storage a version is a prefix, which goes with its last object); a reader
     * that opened it reads it to its end where storage allows. Never follows a link out of the storage.
     *
     * <p>The default refuses ({@link org.mlregistry.core.Refusal#READ_ONLY}): a writer written before files could be
     * deleted one at a time keeps its files.
     *
     * @return whether there was such a file
     * @throws IOException when storage cannot be written
     */
    default boolean deleteFile(long projectId, ModelVersionRef version, FilePath path) throws IOException {
        throw new RegistryException(Refusal.READ_ONLY, "this storage does not delete single files");
    }

    /**
     * Deletes every file of the version and its place in storage (a deleted model's versions); nothing
     * happens when there is none. Never follows a link out of the storage. The registry calls it again for a
     * version whose removal failed or was cut short (its record stays in the catalog until this returns), so it
     * must finish what an earlier call left.
     *
     * @throws IOException when storage cannot be written
     */
    void deleteVersion(long projectId, ModelVersionRef version) throws IOException;
}
