/**
 * The runnable embedded-Jetty registry server: {@link org.mlregistry.examples.RegistryServer} (entry
 * point), {@link org.mlregistry.examples.ConfigParser} (the JSON configuration) and
 * {@link org.mlregistry.examples.RegistryJetty} (how Jetty is set up for GitLab-style URIs).
 */
@NullMarked
package org.mlregistry.examples;

import org.jspecify.annotations.NullMarked;
