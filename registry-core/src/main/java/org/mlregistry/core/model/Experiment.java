package org.mlregistry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLflow experiment of a project: a named collection of runs, as GitLab keeps them ({@code experiment_id} is the
 * project-scoped {@code iid}, as a string on the wire). Deleting one marks it deleted, as MLflow does, so that it can be
 * restored; its name stays taken meanwhile.
 *
 * @param id the catalog's id for it
 * @param projectId its project
 * @param iid its number within the project: MLflow's {@code experiment_id}
 * @param name its name, unique in the project
 * @param tags its tags, by key
 * @param created when it was created
 * @param updated when it was last changed
 * @param deleted when it was deleted, empty while it is active
 */
public record Experiment(long id, long projectId, long iid, String name, List<Tag> tags, Instant created, Instant updated,
                         Optional<Instant> deleted) {

    /** What the name of a registered model's experiment ({@code [model]<name>}, as GitLab names it) starts with. */
    public static final String MODEL_PREFIX = "[model]";

    /**
     * The name of a registered model's experiment, at the {@code attempt}-th try (from 0) to find one no experiment of
     * the project has: {@code [model]<name>}, then {@code [model]<name> (<model id>)}, then {@code ... (<model id>.<n>)};
     * the model's name shortened to keep it within {@link #MAX_NAME} (a model name may be as long as an experiment's).
     */
    public static String ofModel(ModelName model, long modelId, int attempt) {
        boolean tooLong = MODEL_PREFIX.length() + model.value().length() > MAX_NAME;
        int n = tooLong ? attempt + 1 : attempt;
        String suffix = n == 0 ? "" : " (" + modelId + (n == 1 ? "" : "." + n) + ")";
        String name = model.value();
        int room = MAX_NAME - MODEL_PREFIX.length() - suffix.length();
        if (name.length() > room) {
            int end = Character.isHighSurrogate(name.charAt(room - 1)) ? room - 1 : room;
            name = name.substring(0, end);
        }
        return MODEL_PREFIX + name + suffix;
    }

    /** The longest name accepted, in characters. */
    public static final int MAX_NAME = 255;

    public Experiment {
        Objects.requireNonNull(name, "name");
        tags = List.copyOf(tags);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(deleted, "deleted");
    }

    /** MLflow's {@code lifecycle_stage}: {@code active} or {@code deleted}. */
    public String lifecycleStage() {
        return deleted.isPresent() ? "deleted" : "active";
    }
}
