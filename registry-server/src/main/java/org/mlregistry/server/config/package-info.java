/**
 * The bundled server's JSON configuration: {@link org.mlregistry.server.config.ConfigParser} reads and validates
 * it into {@link org.mlregistry.server.config.RegistryConfig} and its parts (storage, catalog, access, metrics),
 * which open the stores the server runs on.
 */
@NullMarked
package org.mlregistry.server.config;

import org.jspecify.annotations.NullMarked;
