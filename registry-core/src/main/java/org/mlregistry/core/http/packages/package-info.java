/**
 * GitLab's packages API under {@code /projects/:id/packages} for {@code ml_model} packages (one per model version):
 * listing with GitLab's filters, order and pagination headers, a package, its files, and deleting either; GitLab's
 * entities as JSON. Not exported by the module.
 */
@NullMarked
package org.mlregistry.core.http.packages;

import org.jspecify.annotations.NullMarked;
