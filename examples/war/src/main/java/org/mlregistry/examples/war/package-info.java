/**
 * The registry as a web application: {@link org.mlregistry.examples.war.RegistryContextListener} and
 * {@code WEB-INF/web.xml}.
 */
@NullMarked
package org.mlregistry.examples.war;

import org.jspecify.annotations.NullMarked;
