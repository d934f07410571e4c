/**
 * The Jakarta Servlet adapter: {@link org.mlregistry.servlet.ModelRegistryServlet}, mountable in any
 * Servlet 6 container.
 */
@NullMarked
package org.mlregistry.servlet;

import org.jspecify.annotations.NullMarked;
