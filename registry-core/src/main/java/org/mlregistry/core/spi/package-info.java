/**
 * The seams an embedder implements: {@link org.mlregistry.core.spi.ProjectLocator},
 * {@link org.mlregistry.core.spi.TokenAuthenticator}, {@link org.mlregistry.core.spi.ModelFileResolver}
 * (reads) and {@link org.mlregistry.core.spi.ModelFileWriter} (uploads), or both at once as a
 * {@link org.mlregistry.core.spi.ModelFileStore}. The core test-jar has a contract test
 * ({@code org.mlregistry.core.testing.ModelFileStoreContract}) to run against your own storage.
 */
@NullMarked
package org.mlregistry.core.spi;

import org.jspecify.annotations.NullMarked;
