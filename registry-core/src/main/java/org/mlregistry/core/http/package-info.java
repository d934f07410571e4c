/**
 * GitLab's model-file HTTP protocol, independent of any container: {@link
 * org.mlregistry.core.http.RegistryHttpHandler} answers a {@link org.mlregistry.core.http.RegistryHttpExchange};
 * {@link org.mlregistry.core.http.ErrorResponses} is the one place refusals become statuses and JSON.
 */
@NullMarked
package org.mlregistry.core.http;

import org.jspecify.annotations.NullMarked;
