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
}
