/**
 * GitLab's model-file route, {@code /projects/:id/packages/ml_models/:model_version_id/files/(*path/):file_name}:
 * its parser on the raw path, a cache of parsed routes, and the handler that answers GET, HEAD and PUT through the
 * file endpoint. Not exported by the module.
 */
@NullMarked
package org.mlregistry.core.http.gitlab;

import org.jspecify.annotations.NullMarked;
