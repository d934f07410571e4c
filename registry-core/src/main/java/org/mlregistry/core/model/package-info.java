/**
 * Validated value types: what a request names ({@link org.mlregistry.core.model.ProjectRef},
 * {@link org.mlregistry.core.model.ModelVersionRef}, {@link org.mlregistry.core.model.FilePath}), who
 * asks ({@link org.mlregistry.core.model.Credential}, {@link org.mlregistry.core.model.Principal}) and
 * what a project is ({@link org.mlregistry.core.model.Project}). Untrusted strings become these at the
 * edge; deeper code never handles a raw path.
 */
@NullMarked
package org.mlregistry.core.model;

import org.jspecify.annotations.NullMarked;
