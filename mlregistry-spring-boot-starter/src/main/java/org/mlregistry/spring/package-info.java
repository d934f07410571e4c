/**
 * Spring Boot auto-configuration for the registry: {@link org.mlregistry.spring.MlregistryAutoConfiguration} and its
 * {@code mlregistry.*} properties ({@link org.mlregistry.spring.MlregistryProperties}).
 */
@NullMarked
package org.mlregistry.spring;

import org.jspecify.annotations.NullMarked;
