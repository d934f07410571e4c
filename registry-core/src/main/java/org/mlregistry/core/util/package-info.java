/**
 * Small pieces the registry's modules share that belong to no domain type: {@link
 * org.mlregistry.core.util.BoundedCache}, the bounded map of the per-request caches.
 */
@NullMarked
package org.mlregistry.core.util;

import org.jspecify.annotations.NullMarked;
