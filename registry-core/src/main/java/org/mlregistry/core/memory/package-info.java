/**
 * Small, real, thread-safe in-memory implementations of the SPIs, for tests, examples and embedders'
 * own unit tests: {@link org.mlregistry.core.memory.InMemoryProjectLocator},
 * {@link org.mlregistry.core.memory.InMemoryTokenAuthenticator} (over hashed
 * {@link org.mlregistry.core.memory.StoredToken}s) and {@link org.mlregistry.core.memory.InMemoryModelFileStore}.
 */
package org.mlregistry.core.memory;
