/**
 * The registry's web interface: {@code WebInterface} (built once, with its session secret) and
 * {@code WebInterfaceServlet}, which mounts it in any Jakarta Servlet container.
 */
@NullMarked
package org.mlregistry.web;

import org.jspecify.annotations.NullMarked;
