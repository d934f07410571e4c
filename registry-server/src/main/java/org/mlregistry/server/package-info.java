/**
 * The runnable embedded-Jetty registry server: {@link org.mlregistry.server.RegistryServer} (entry
 * point), {@link org.mlregistry.server.config.ConfigParser} (the JSON configuration, in its own package) and
 * {@link org.mlregistry.server.RegistryJetty} (how Jetty is set up for GitLab-style URIs).
 */
@NullMarked
package org.mlregistry.server;

import org.jspecify.annotations.NullMarked;
