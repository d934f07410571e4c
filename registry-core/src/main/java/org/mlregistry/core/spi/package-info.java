/**
 * The seams an embedder implements: {@link org.mlregistry.core.spi.ProjectLocator},
 * {@link org.mlregistry.core.spi.TokenAuthenticator}, {@link org.mlregistry.core.spi.ModelFileResolver}
 * and, for uploads, {@link org.mlregistry.core.spi.ModelFileStore}. The core test-jar has a contract test
 * ({@code org.mlregistry.core.testing.ModelFileStoreContract}) to run against your own storage.
 */
package org.mlregistry.core.spi;
