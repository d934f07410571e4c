package org.mlregistry.core.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    /**
     * Most tags one model or version may have: MLflow's limit of tags and parameters in one request
     * ({@code MAX_PARAMS_TAGS_PER_BATCH}), so that one entity can never grow an answer beyond a few hundred kilobytes.
     */
    public static final int MAX_PER_ENTITY = 100;

    public Tag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isBlank() || key.length() > MAX_KEY || value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("a tag key is 1 to " + MAX_KEY + " characters and its value at most " + MAX_VALUE);
        }
    }

    /**
     * A tag given by a client: its key in normalization form C and free of the characters {@link NameRules} refuses,
     * its value well-formed.
     *
     * @throws IllegalArgumentException when it is not a valid tag
     */
    public static Tag parse(String key, String value) {
        return new Tag(NameRules.normalize(Objects.requireNonNull(key, "key"), "a tag key"),
                NameRules.wellFormed(Objects.requireNonNull(value, "value"), "a tag value"));
    }

    /**
     * Checks the tags of one model or version: at most {@link #MAX_PER_ENTITY}, each key once.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static List<Tag> checkSet(List<Tag> tags) {
        if (tags.size() > MAX_PER_ENTITY) {
            throw new IllegalArgumentException("at most " + MAX_PER_ENTITY + " tags");
        }
        Set<String> keys = new HashSet<>();
        for (Tag t : tags) {
            if (!keys.add(t.key())) {
                throw new IllegalArgumentException("each tag key at most once");
            }
        }
        return List.copyOf(tags);
    }
}
