/**
 * GitLab's MLflow-compatible API under {@code /projects/:id/ml/mlflow/}: the registry endpoints (one list,
 * {@link org.mlregistry.core.http.mlflow.MlflowOperation}), MLflow's artifact routes, their parameters, search
 * filters, orderings and pages, their JSON, and MLflow's words for refusals. Not exported by the module.
 */
@NullMarked
package org.mlregistry.core.http.mlflow;

import org.jspecify.annotations.NullMarked;
