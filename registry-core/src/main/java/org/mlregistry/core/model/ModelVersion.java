package org.mlregistry.core.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A version of a registered model: the unit files are uploaded to and downloaded from
 * ({@code .../ml_models/<id>/files/...}).
 *
 * @param id the numeric id, unique across the whole registry: the route's {@code :model_version_id}
 * @param projectId the project of its model
 * @param modelId the model's id
 * @param modelName the model's name
 * @param version the semantic version, unique per model
 * @param description free text (empty when none)
 * @param tags its tags, in the order given
 * @param created when it was created
 * @param updated when it was last changed
 * @param runId the MLflow {@code run_id} of its run (GitLab's candidate: what metrics, params and files logged to the
 *              version go to), empty when its catalog keeps no runs
 * @param sourcePath the directory of its files that MLflow clients download as the model, empty for all of them: the
 *                   {@code <path>} of the {@code runs:/<run_id>/<path>} it was registered from
 */
public record ModelVersion(long id, long projectId, long modelId, ModelName modelName, SemanticVersion version,
                           String description, List<Tag> tags, Instant created, Instant updated, String runId,
                           String sourcePath) {

    /**
     * Versions by semantic-version precedence (a pre-release below its release, build metadata ignored), then by id:
     * the last of a model's versions in this order is its latest, as GitLab orders them ("highest semantic version").
     */
    public static final Comparator<ModelVersion> PRECEDENCE =
            Comparator.comparing(ModelVersion::version).thenComparingLong(ModelVersion::id);

    public ModelVersion {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sourcePath, "sourcePath");
    }

    /** A version without a run (its catalog keeps none) whose files are all its model. */
    public ModelVersion(long id, long projectId, long modelId, ModelName modelName, SemanticVersion version, String description,
                        List<Tag> tags, Instant created, Instant updated) {
        this(id, projectId, modelId, modelName, version, description, tags, created, updated, "", "");
    }

    /** This version with other metadata: its description, tags and the time it was last changed. */
    public ModelVersion with(String newDescription, List<Tag> newTags, Instant newUpdated) {
        return new ModelVersion(id, projectId, modelId, modelName, version, newDescription, newTags, created, newUpdated, runId, sourcePath);
    }

    /** The route reference of this version. */
    public ModelVersionRef ref() {
        return ModelVersionRef.ofVersion(id);
    }
}
