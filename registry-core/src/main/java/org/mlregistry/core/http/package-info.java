/**
 * The registry's HTTP protocols for container adapters, independent of any container: an adapter wraps its
 * request and response as a {@link org.mlregistry.core.http.RegistryHttpExchange} and hands it to
 * {@link org.mlregistry.core.http.RegistryHttpHandler}, which serves GitLab's model-file route, GitLab's
 * MLflow-compatible API and the Hugging Face endpoints; bodies go out as
 * {@link org.mlregistry.core.http.ResponseBody}, so a slow reader holds no thread. The protocols themselves live in
 * packages of their own (not exported): {@code http.base} (the exchange's shared machinery: credentials,
 * conditionals and ranges, the file endpoint, the error table), {@code http.gitlab}, {@code http.mlflow} and
 * {@code http.hub}.
 */
@NullMarked
package org.mlregistry.core.http;

import org.jspecify.annotations.NullMarked;
