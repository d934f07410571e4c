/**
 * Small, real, thread-safe in-memory implementations of the SPIs, for tests, examples and embedders'
 * own unit tests: {@link org.mlregistry.core.memory.InMemoryProjectLocator},
 * {@link org.mlregistry.core.memory.InMemoryTokenAuthenticator} (over hashed
 * {@link org.mlregistry.core.memory.StoredToken}s) and {@link org.mlregistry.core.memory.InMemoryModelFileStore}. Duplicate entries are refused with a
 * {@link org.mlregistry.core.memory.DuplicateEntryException} that names the entry.
 */
@NullMarked
package org.mlregistry.core.memory;

import org.jspecify.annotations.NullMarked;
