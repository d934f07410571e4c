package org.mlregistry.core.model;

import java.util.Objects;

/**
 * The name of a registered model, unique within its project: 1 to {@value #MAX_LENGTH} characters, no
 * control characters, not blank. A name from a client is read with {@link #parse}, which also applies
 * {@link NameRules}; the constructor accepts what earlier versions stored.
 *
 * @param value the name as given
 */
public record ModelName(String value) {

    /** Longest name accepted. */
    public static final int MAX_LENGTH = 255;

    public ModelName {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > MAX_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a model name is 1 to " + MAX_LENGTH + " characters without control characters");
        }
    }

    /**
     * A name given by a client: in normalization form C and free of the characters {@link NameRules} refuses.
     *
     * @throws IllegalArgumentException when it is not a valid name
     */
    public static ModelName parse(String value) {
        return new ModelName(NameRules.normalize(Objects.requireNonNull(value, "value"), "a model name"));
    }

    @Override
    public String toString() {
        return value;
    }
}
