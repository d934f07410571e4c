package org.mlregistry.core.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/**
 * Read access to stored model files. Implementations receive only validated values, map them to their
 * storage without ever leaving their own root, and report absence as {@code Optional.empty()}.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface ModelFileResolver {

    /**
     * Finds the file {@code path} of model version {@code version} of project {@code projectId}.
     *
     * @return the file, or empty when the version or the file does not exist (or is not a regular file)
     * @throws IOException when storage cannot be read
     */
    Optional<ModelFile> find(long projectId, ModelVersionRef version, FilePath path) throws IOException;

    /**
     * Whether storage has a place for the version: how a registry without a catalog, and every registry for
     * {@code candidate:} ids, knows which versions exist. The default says it has one when it holds something of it
     * (its top directory lists an entry), which is all an object store can tell; a file system, where an empty
     * version's directory exists, says so itself.
     *
     * @throws IOException when storage cannot be read
     */
    default boolean hasVersion(long projectId, ModelVersionRef version) throws IOException {
        return !list(projectId, version, DirectoryPath.TOP).isEmpty();
    }

    /**
     * The entries directly inside {@code directory} of the version, sorted by name: files with their
     * sizes and sub-directories. Empty when the directory does not exist.
     *
     * @throws IOException when storage cannot be read
     */
    List<FileEntry> list(long projectId, ModelVersionRef version, DirectoryPath directory) throws IOException;

    /**
     * Returns when the storage answers now and throws when it does not: the registry's health check. The
     * default assumes it always answers (an in-memory source, say).
     *
     * @throws IOException when it cannot be reached
     */
    default void checkReachable() throws IOException {
    }
}
