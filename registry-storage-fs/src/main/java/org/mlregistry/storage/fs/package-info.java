/**
 * File-system storage for model files: {@link org.mlregistry.storage.fs.FileSystemModelFileStore}, a
 * {@link org.mlregistry.core.spi.ModelFileStore} over {@code java.nio.file} with safe path mapping and
 * atomic uploads.
 */
@NullMarked
package org.mlregistry.storage.fs;

import org.jspecify.annotations.NullMarked;
