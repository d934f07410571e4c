/**
 * The bundled server's commands besides serving: {@code token create} (a new token, its secret printed once) and
 * {@code init DIR} (a starter configuration), with the small flag parser they and the server's own options share.
 */
@NullMarked
package org.mlregistry.server.cli;

import org.jspecify.annotations.NullMarked;
