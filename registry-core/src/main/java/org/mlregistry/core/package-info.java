/**
 * The registry facade: {@link org.mlregistry.core.ModelRegistry} (download and upload under GitLab's
 * permission rules, no HTTP), its one exception {@link org.mlregistry.core.RegistryException} and the
 * reasons it carries, {@link org.mlregistry.core.Refusal}.
 */
@NullMarked
package org.mlregistry.core;

import org.jspecify.annotations.NullMarked;
