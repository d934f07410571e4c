package org.mlregistry.core;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.NameRules;
import org.mlregistry.core.model.Tag;

/**
 * A project's MLflow experiments, under the registry's permission rules (reading needs a read scope and, on non-public
 * projects, membership; changing needs {@code api} and developer or above), with MLflow's refusals and wording:
 * {@code RESOURCE_DOES_NOT_EXIST} for an experiment the project does not have (an id of another project included),
 * {@code RESOURCE_ALREADY_EXISTS} for a name taken, {@code INVALID_PARAMETER_VALUE} for a missing or malformed value.
 * The registry's catalog keeps them when it is a {@link org.mlregistry.core.spi.TrackingCatalog}.
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class Experiments {

    private final RegistryContext context;

    Experiments(RegistryContext context) {
        this.context = context;
    }

    /** Creates an experiment named {@code name} with {@code tags}. */
    public Experiment create(Authorized writing, @Nullable String name, List<Tag> tags) throws IOException {
        long projectId = writable(writing);
        String n = name(name, "name");
        List<Tag> checked = Models.tags(tags);
        return call("createExperiment", () -> context.tracking().createExperiment(projectId, n, checked, now()));
    }

    /** The experiment {@code experimentId} (its {@code iid}) names, active or deleted. */
    public Experiment get(Authorized reading, @Nullable String experimentId) throws IOException {
        long projectId = readable(reading);
        return find(projectId, experimentId);
    }

    /** The experiment of that exact name, active or deleted. */
    public Experiment byName(Authorized reading, @Nullable String name) throws IOException {
        long projectId = readable(reading);
        String asked = Models.required(name, "experiment_name");
        RegistryException notFound = new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST,
                "Could not find experiment with name '" + asked + "'");
        String n;
        try {
            n = name(asked, "experiment_name");
        } catch (RegistryException malformed) {
            throw notFound; // no experiment can have such a name
        }
        return call("findExperimentByName", () -> context.tracking().findExperimentByName(projectId, n)).orElseThrow(() -> notFound);
    }

    /** Every experiment of the project, active and deleted, by id, without their tags ({@link #withTags} reads them). */
    public List<Experiment> list(Authorized reading) throws IOException {
        long projectId = readable(reading);
        return call("listExperiments", () -> context.tracking().listExperiments(projectId));
    }

    /** These experiments of the project with their tags: one catalog call. */
    public List<Experiment> withTags(Authorized reading, List<Experiment> experiments) throws IOException {
        long projectId = readable(reading);
        if (experiments.isEmpty()) {
            return List.of();
        }
        java.util.Map<Long, List<Tag>> tags = call("experimentTags",
                () -> context.tracking().experimentTags(projectId, experiments.stream().map(Experiment::iid).toList()));
        return experiments.stream().map(e -> new Experiment(e.id(), e.projectId(), e.iid(), e.name(), tags.getOrDefault(e.iid(), List.of()),
                e.created(), e.updated(), e.deleted())).toList();
    }

    /** Marks the experiment deleted (MLflow's soft delete: it can be restored, its name stays taken). */
    public Experiment delete(Authorized writing, @Nullable String experimentId) throws IOException {
        return lifecycle(writing, experimentId, true);
    }

    /** Makes a deleted experiment active again. */
    public Experiment restore(Authorized writing, @Nullable String experimentId) throws IOException {
        return lifecycle(writing, experimentId, false);
    }

    /** MLflow's rule: only an active experiment is deleted, only a deleted one restored; another is not found. */
    private Experiment lifecycle(Authorized writing, @Nullable String experimentId, boolean deleted) throws IOException {
        long projectId = writable(writing);
        Experiment e = find(projectId, experimentId);
        if (e.deleted().isPresent() == deleted) {
            throw notFound(experimentId);
        }
        long iid = e.iid();
        return call("setExperimentDeleted", () -> context.tracking().setExperimentDeleted(projectId, iid, deleted, now()))
                .orElseThrow(() -> notFound(experimentId));
    }

    /** Renames the experiment (MLflow's {@code experiments/update}). */
    public Experiment rename(Authorized writing, @Nullable String experimentId, @Nullable String newName) throws IOException {
        long projectId = writable(writing);
        String n = name(newName, "new_name");
        Experiment e = find(projectId, experimentId);
        if (e.deleted().isPresent()) {
            throw Models.invalid("Cannot rename a non-active experiment.");
        }
        long iid = e.iid();
        return call("renameExperiment", () -> context.tracking().renameExperiment(projectId, iid, n, now()))
                .orElseThrow(() -> notFound(experimentId));
    }

    /** Sets one of the experiment's tags. */
    public void setTag(Authorized writing, @Nullable String experimentId, @Nullable String key, @Nullable String value)
            throws IOException {
        long projectId = writable(writing);
        Tag tag = Models.tag(key, value);
        long iid = active(find(projectId, experimentId)).iid();
        if (!call("setExperimentTag", () -> context.tracking().setExperimentTag(projectId, iid, tag, now()))) {
            throw notFound(experimentId);
        }
    }

    /** Removes one of the experiment's tags; a key it does not have is MLflow's 404. */
    public void deleteTag(Authorized writing, @Nullable String experimentId, @Nullable String key) throws IOException {
        long projectId = writable(writing);
        String k = Models.required(key, "key");
        long iid = active(find(projectId, experimentId)).iid();
        if (!call("deleteExperimentTag", () -> context.tracking().deleteExperimentTag(projectId, iid, k, now()))) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No tag with name: " + k + " in experiment with id " + iid);
        }
    }

    private Experiment find(long projectId, @Nullable String experimentId) {
        String id = Models.required(experimentId, "experiment_id");
        if (!Models.isVersionId(id)) {
            throw notFound(id);
        }
        long iid = Long.parseLong(id);
        return call("findExperiment", () -> context.tracking().findExperiment(projectId, iid)).orElseThrow(() -> notFound(id));
    }

    /** The experiment, if it is active: MLflow refuses to change the tags of a deleted one. */
    private static Experiment active(Experiment e) {
        if (e.deleted().isPresent()) {
            throw Models.invalid("The experiment " + e.iid() + " must be in the 'active' state. Current state is deleted.");
        }
        return e;
    }

    private static RegistryException notFound(@Nullable String experimentId) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + experimentId + " exists");
    }

    /** A name as MLflow clients send it: in normalization form C, not blank, without control or format characters. */
    private static String name(@Nullable String name, String parameter) {
        String n;
        try {
            n = NameRules.normalize(Models.required(name, parameter), parameter);
        } catch (IllegalArgumentException e) {
            throw Models.invalid(String.valueOf(e.getMessage()));
        }
        // counted once normalized (a name typed decomposed is no longer than composed); blank in any script's spaces
        if (n.length() > Experiment.MAX_NAME || n.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw Models.invalid("Invalid value for parameter '" + parameter + "': 1 to " + Experiment.MAX_NAME
                    + " characters, not all blank");
        }
        return n;
    }

    private <T> T call(String operation, CatalogCalls.Call<T> call) {
        return context.catalogCall(operation, call);
    }

    private long readable(Authorized right) throws IOException {
        return context.require(right, Access.READ).project().id();
    }

    private long writable(Authorized right) throws IOException {
        return context.require(right, Access.WRITE).project().id();
    }

    private Instant now() {
        return context.now();
    }
}
