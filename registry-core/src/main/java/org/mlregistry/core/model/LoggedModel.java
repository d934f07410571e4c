package org.mlregistry.core.model;

import java.util.Objects;
import java.util.Set;

/**
 * An MLflow 3 logged model ({@code mlflow.<flavor>.log_model} makes one, uploads its files, then finalizes it): a model
 * of an experiment, named {@code m-<32 hex digits>}, usually produced by a run ({@code sourceRunId}). Its files, params
 * and tags are kept by a run of its own ({@link #files()}), which run searches do not list; its
 * {@code artifact_uri} is that run's, and registering it ({@code models:/m-<id>}) lends a new version its files.
 *
 * @param modelId MLflow's {@code model_id}
 * @param files the run holding its files, params and tags: its name, experiment, times and whether it is deleted are
 *              the logged model's
 * @param sourceRunId the run that produced it, empty when none
 * @param modelType the flavor's model type, empty when none
 * @param status one of {@link #STATUSES}
 */
public record LoggedModel(String modelId, Run files, String sourceRunId, String modelType, String status) {

    /** MLflow's {@code LoggedModelStatus} names, as its JSON writes them. */
    public static final Set<String> STATUSES = Set.of("LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED");

    /** A new {@code model_id}: {@code m-} and a random UUID's 32 hexadecimal digits, as MLflow's server makes them. */
    public static String newModelId() {
        return "m-" + Run.newRunId();
    }

    public LoggedModel {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(sourceRunId, "sourceRunId");
        Objects.requireNonNull(modelType, "modelType");
        Objects.requireNonNull(status, "status");
    }
}
