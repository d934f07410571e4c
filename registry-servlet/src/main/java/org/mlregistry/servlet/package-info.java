/**
 * The Jakarta Servlet adapter: {@link org.mlregistry.servlet.ModelRegistryServlet}, mountable in any
 * Servlet 6 container.
 */
package org.mlregistry.servlet;
