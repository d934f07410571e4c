/**
 * Micrometer metrics for the registry: {@link org.mlregistry.metrics.MicrometerObserver}, given to
 * {@code ModelRegistry.builder().observer(...)}.
 */
@NullMarked
package org.mlregistry.metrics;

import org.jspecify.annotations.NullMarked;
