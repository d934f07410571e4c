package org.mlregistry.core.spi;

import java.io.IOException;
import java.util.Optional;
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
}
