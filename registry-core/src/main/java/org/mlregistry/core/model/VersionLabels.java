package org.mlregistry.core.model;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What users put on model versions besides their semantic version, for a set of versions answered together (a page of a
 * search, a model's latest versions): each version's user aliases ({@code champion}), sorted, and its MLflow stage, so
 * that every answer showing a version shows the same, read with one catalog call each for the whole set.
 *
 * @param aliases the user aliases of the versions that have any, by version id
 * @param stages the stage of the versions in one, by version id
 */
public record VersionLabels(Map<Long, List<String>> aliases, Map<Long, Stage> stages) {

    /** No aliases and no stages: a version just created. */
    public static final VersionLabels NONE = new VersionLabels(Map.of(), Map.of());

    public VersionLabels {
        aliases = Map.copyOf(aliases);
        stages = Map.copyOf(stages);
    }

    /** The version's user aliases, sorted; empty when it has none. */
    public List<String> aliasesOf(ModelVersion v) {
        return aliases.getOrDefault(v.id(), List.of());
    }

    /** The version's stage; {@code null} when it is in none. */
    public @Nullable Stage stageOf(ModelVersion v) {
        return stages.get(v.id());
    }
}
