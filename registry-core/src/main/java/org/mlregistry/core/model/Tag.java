package org.mlregistry.core.model;

import java.util.Objects;

/**
 * A key and value attached to a registered model or a model version, as MLflow's tags.
 *
 * @param key at most {@value #MAX_KEY} characters, not blank
 * @param value at most {@value #MAX_VALUE} characters
 */
public record Tag(String key, String value) {

    /** Longest key accepted. */
    public static final int MAX_KEY = 250;
    /** Longest value accepted. */
    public static final int MAX_VALUE = 5000;

    public Tag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isBlank() || key.length() > MAX_KEY || value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("a tag key is 1 to " + MAX_KEY + " characters and its value at most " + MAX_VALUE);
        }
    }
}
