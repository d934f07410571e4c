/**
 * The registry inside a Spring Boot application: {@link org.mlregistry.examples.spring.RegistryApplication}.
 */
@NullMarked
package org.mlregistry.examples.spring;

import org.jspecify.annotations.NullMarked;
