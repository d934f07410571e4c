package org.mlregistry.core.spi;

import java.io.IOException;
import java.io.InputStream;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;

/**
 * Accepts uploads of model files: the write role of storage, given to
 * {@link org.mlregistry.core.ModelRegistry.Builder#uploads} (a registry without one is read-only). A
 * writer must never expose a partly written file: readers see either no file or the whole of it.
 *
 * <p>Threading: implementations must be safe for concurrent calls; two concurrent uploads of the same
 * path end with exactly one of them stored and the other refused.
 */
public interface ModelFileWriter {

    /**
     * Stores {@code content} as the file {@code path} of the version, creating the version if needed, and
     * records its SHA-256 so that no later request has to read the file to know it. Reads {@code content}
     * to its end but does not close it. When reading fails (including by an unchecked exception thrown
     * from {@code content}), nothing is stored and the exception propagates.
     *
     * @return the metadata of the stored file
     * @throws java.nio.file.FileAlreadyExistsException when the file exists already (it is left intact)
     * @throws IOException when storage cannot be written
     */
    FileMetadata store(long projectId, ModelVersionRef version, FilePath path, InputStream content) throws IOException;
}
