package org.mlregistry.core.spi;

/**
 * Storage that both serves and accepts model files: a {@link ModelFileResolver} and a
 * {@link ModelFileWriter} over the same files, as {@link org.mlregistry.core.ModelRegistry.Builder#store}
 * takes it. The core test-jar's {@code ModelFileStoreContract} is what every store must pass.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface ModelFileStore extends ModelFileResolver, ModelFileWriter {
}
