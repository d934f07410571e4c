package org.mlregistry.core.model;

import java.util.Objects;

/**
 * A run's parameter, as MLflow logs it: a key logged once per run with one value (logging it again with another value
 * is refused).
 *
 * @param key at most {@value Tag#MAX_KEY} characters
 * @param value at most {@value #MAX_VALUE} characters (MLflow's current limit)
 */
public record Param(String key, String value) {

    /** The longest value MLflow accepts. */
    public static final int MAX_VALUE = 6000;

    public Param {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
