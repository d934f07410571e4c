package org.mlregistry.core.http.mlflow;

import java.util.Optional;
import org.mlregistry.core.Access;

/**
 * The MLflow registry and tracking endpoints this registry implements, each with its method and the access it needs: the one
 * list that routing, the access decision made before a body is read, and access-log templates share.
 */
enum MlflowOperation {
    CREATE_MODEL(Entity.REGISTERED_MODELS, "create", "POST", Access.WRITE),
    GET_MODEL(Entity.REGISTERED_MODELS, "get", "GET", Access.READ),
    UPDATE_MODEL(Entity.REGISTERED_MODELS, "update", "PATCH", Access.WRITE),
    DELETE_MODEL(Entity.REGISTERED_MODELS, "delete", "DELETE", Access.WRITE),
    SEARCH_MODELS(Entity.REGISTERED_MODELS, "search", "GET", Access.READ),
    LATEST_VERSIONS(Entity.REGISTERED_MODELS, "get-latest-versions", "POST", Access.READ),
    LATEST_VERSIONS_GET(Entity.REGISTERED_MODELS, "get-latest-versions", "GET", Access.READ),
    GET_ALIAS(Entity.REGISTERED_MODELS, "alias", "GET", Access.READ),
    SET_ALIAS(Entity.REGISTERED_MODELS, "alias", "POST", Access.WRITE),
    DELETE_ALIAS(Entity.REGISTERED_MODELS, "alias", "DELETE", Access.WRITE),
    SET_MODEL_TAG(Entity.REGISTERED_MODELS, "set-tag", "POST", Access.WRITE),
    DELETE_MODEL_TAG(Entity.REGISTERED_MODELS, "delete-tag", "DELETE", Access.WRITE),
    RENAME_MODEL(Entity.REGISTERED_MODELS, "rename", "POST", Access.WRITE),
    CREATE_VERSION(Entity.MODEL_VERSIONS, "create", "POST", Access.WRITE),
    GET_VERSION(Entity.MODEL_VERSIONS, "get", "GET", Access.READ),
    UPDATE_VERSION(Entity.MODEL_VERSIONS, "update", "PATCH", Access.WRITE),
    DELETE_VERSION(Entity.MODEL_VERSIONS, "delete", "DELETE", Access.WRITE),
    DOWNLOAD_URI(Entity.MODEL_VERSIONS, "get-download-uri", "GET", Access.READ),
    SEARCH_VERSIONS(Entity.MODEL_VERSIONS, "search", "GET", Access.READ),
    SET_VERSION_TAG(Entity.MODEL_VERSIONS, "set-tag", "POST", Access.WRITE),
    TRANSITION_STAGE(Entity.MODEL_VERSIONS, "transition-stage", "POST", Access.WRITE),
    DELETE_VERSION_TAG(Entity.MODEL_VERSIONS, "delete-tag", "DELETE", Access.WRITE),
    CREATE_EXPERIMENT(Entity.EXPERIMENTS, "create", "POST", Access.WRITE),
    GET_EXPERIMENT(Entity.EXPERIMENTS, "get", "GET", Access.READ),
    GET_EXPERIMENT_BY_NAME(Entity.EXPERIMENTS, "get-by-name", "GET", Access.READ),
    LIST_EXPERIMENTS(Entity.EXPERIMENTS, "list", "GET", Access.READ),
    SEARCH_EXPERIMENTS(Entity.EXPERIMENTS, "search", "POST", Access.READ),
    SEARCH_EXPERIMENTS_GET(Entity.EXPERIMENTS, "search", "GET", Access.READ),
    DELETE_EXPERIMENT(Entity.EXPERIMENTS, "delete", "POST", Access.WRITE),
    RESTORE_EXPERIMENT(Entity.EXPERIMENTS, "restore", "POST", Access.WRITE),
    UPDATE_EXPERIMENT(Entity.EXPERIMENTS, "update", "POST", Access.WRITE),
    SET_EXPERIMENT_TAG(Entity.EXPERIMENTS, "set-experiment-tag", "POST", Access.WRITE),
    DELETE_EXPERIMENT_TAG(Entity.EXPERIMENTS, "delete-experiment-tag", "POST", Access.WRITE),
    CREATE_RUN(Entity.RUNS, "create", "POST", Access.WRITE),
    GET_RUN(Entity.RUNS, "get", "GET", Access.READ),
    UPDATE_RUN(Entity.RUNS, "update", "POST", Access.WRITE),
    DELETE_RUN(Entity.RUNS, "delete", "POST", Access.WRITE),
    RESTORE_RUN(Entity.RUNS, "restore", "POST", Access.WRITE),
    LOG_METRIC(Entity.RUNS, "log-metric", "POST", Access.WRITE),
    LOG_PARAMETER(Entity.RUNS, "log-parameter", "POST", Access.WRITE),
    SET_RUN_TAG(Entity.RUNS, "set-tag", "POST", Access.WRITE),
    DELETE_RUN_TAG(Entity.RUNS, "delete-tag", "POST", Access.WRITE),
    LOG_BATCH(Entity.RUNS, "log-batch", "POST", Access.WRITE),
    SEARCH_RUNS(Entity.RUNS, "search", "POST", Access.READ),
    LOG_OUTPUTS(Entity.RUNS, "outputs", "POST", Access.WRITE),
    METRIC_HISTORY(Entity.METRICS, "get-history", "GET", Access.READ),
    CREATE_LOGGED_MODEL(Entity.LOGGED_MODELS, "", "POST", Access.WRITE),
    SEARCH_LOGGED_MODELS(Entity.LOGGED_MODELS, "search", "POST", Access.READ),
    GET_LOGGED_MODEL(Entity.LOGGED_MODELS, ":model_id", "GET", Access.READ),
    FINALIZE_LOGGED_MODEL(Entity.LOGGED_MODELS, ":model_id", "PATCH", Access.WRITE),
    DELETE_LOGGED_MODEL(Entity.LOGGED_MODELS, ":model_id", "DELETE", Access.WRITE),
    SET_LOGGED_MODEL_TAGS(Entity.LOGGED_MODELS, ":model_id/tags", "PATCH", Access.WRITE),
    DELETE_LOGGED_MODEL_TAG(Entity.LOGGED_MODELS, ":model_id/tags/:tag_key", "DELETE", Access.WRITE),
    LOG_LOGGED_MODEL_PARAMS(Entity.LOGGED_MODELS, ":model_id/params", "POST", Access.WRITE);

    /** The path segment before the operation's. */
    enum Entity {
        REGISTERED_MODELS("registered-models"), MODEL_VERSIONS("model-versions"), EXPERIMENTS("experiments"), RUNS("runs"),
        METRICS("metrics"), LOGGED_MODELS("logged-models");

        private final String segment;

        Entity(String segment) {
            this.segment = segment;
        }

        String segment() {
            return segment;
        }
    }

    private final Entity entity;
    private final String name;
    private final String method;
    private final Access access;

    MlflowOperation(Entity entity, String name, String method, Access access) {
        this.entity = entity;
        this.name = name;
        this.method = method;
        this.access = access;
    }

    /** The operation named by the two path segments, if this registry implements it. */
    static Optional<MlflowOperation> of(Entity entity, String name) {
        for (MlflowOperation o : values()) {
            if (o.entity == entity && o.name.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /**
     * The operation of this one's path that answers {@code method} ({@code HEAD} as {@code GET}), if any: one path may
     * name several ({@code registered-models/alias} gets, sets and deletes).
     */
    Optional<MlflowOperation> forMethod(String method) {
        String asked = method.equals("HEAD") ? "GET" : method;
        for (MlflowOperation o : values()) {
            if (o.entity == entity && o.name.equals(name) && o.method.equals(asked)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    Entity entity() {
        return entity;
    }

    /** The last path segment: {@code create}, {@code get}, ... */
    String operationName() {
        return name;
    }

    /** The only method the endpoint answers; MLflow's server answers others {@code ENDPOINT_NOT_FOUND}. */
    String method() {
        return method;
    }

    /** What the caller must be allowed to do with the project, decided before the body is read. */
    Access access() {
        return access;
    }
}
