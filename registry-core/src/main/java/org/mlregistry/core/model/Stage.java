package org.mlregistry.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * MLflow's model-version stages, for clients that still use them ({@code transition_model_version_stage},
 * {@code models:/name/Production}): a version is in at most one; {@link #NONE} is in none. MLflow accepts a stage's
 * name in any case and answers it capitalized.
 */
public enum Stage {
    NONE("None"), STAGING("Staging"), PRODUCTION("Production"), ARCHIVED("Archived");

    private final String mlflowName;

    Stage(String mlflowName) {
        this.mlflowName = mlflowName;
    }

    /** The name MLflow answers: {@code Production}. */
    public String mlflowName() {
        return mlflowName;
    }

    /** The stage {@code text} names in any case, if it names one. */
    public static Optional<Stage> parse(String text) {
        for (Stage s : values()) {
            if (s.mlflowName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
