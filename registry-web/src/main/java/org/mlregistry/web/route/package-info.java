/** The web interface's paths: {@code WebRoute} parses a raw path into a page; {@code PathCoding} encodes links. */
@NullMarked
package org.mlregistry.web.route;

import org.jspecify.annotations.NullMarked;
