package org.mlregistry.core.spi;

import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Param;

/**
 * The refusals a {@link TrackingCatalog} makes inside its transactions, in MLflow's words, so that every catalog
 * answers a client the same.
 */
public final class TrackingRefusals {

    /** The most tags a run has: MLflow's limit per request, held for the run as a whole here. */
    public static final int MAX_RUN_TAGS = 1000;

    private TrackingRefusals() {
    }

    /** A param logged again with another value (MLflow's {@code _validate_param_keys_unique} wording). */
    public static RegistryException paramChanged(String runId, Param old, Param attempted) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "Changing param values is not allowed. Param with key='"
                + old.key() + "' was already logged with value='" + old.value() + "' for run ID='" + runId
                + "'. Attempted logging new value '" + attempted.value() + "'.");
    }

    /** More tags on one run than {@link #MAX_RUN_TAGS}. */
    public static RegistryException tooManyTags() {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "a run has at most " + MAX_RUN_TAGS + " tags");
    }

    /** A registered model's experiment deleted or renamed: it goes and is named with its model (GitLab's wording). */
    public static RegistryException modelExperiment() {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "Cannot delete or rename an experiment associated to a model");
    }

    /** A run promoted to a version while deleted. */
    public static RegistryException runDeleted(String runId) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "The run " + runId
                + " must be in the 'active' state. Current state is deleted.");
    }

    /** No run of the project has this id. */
    public static RegistryException runNotFound(String runId) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Run with id=" + runId + " not found");
    }

    /** A version that holds files already being given a run's. */
    public static RegistryException versionHasFiles(long versionId) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "Model version " + versionId
                + " already has files; a run is promoted to a new version");
    }
}
