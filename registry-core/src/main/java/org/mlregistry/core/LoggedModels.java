package org.mlregistry.core;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Tag;

/**
 * A project's MLflow 3 logged models, under the registry's permission rules: what {@code mlflow.<flavor>.log_model}
 * makes (create, upload to its {@code artifact_uri}, finalize) and {@code register_model("models:/m-<id>")} registers.
 * GitLab answers these endpoints 404, so MLflow 3's {@code log_model} fails there; here it works. Names follow MLflow's
 * rule ({@code mlflow/utils/validation.py} {@code _validate_logged_model_name}: none of {@code / : . % " '}); params and
 * tags follow the limits of a run's batch ({@link Runs}), since a logged model's run keeps them.
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class LoggedModels {

    /** The characters MLflow refuses in a logged model's name: it is part of {@code runs:/<id>/<name>} URIs. */
    private static final Pattern BAD_NAME = Pattern.compile("[/:.%\"']");
    private static final int MAX_TYPE = 500;

    private final RegistryContext context;
    private final Experiments experiments;
    private final Runs runs;

    LoggedModels(RegistryContext context, Experiments experiments, Runs runs) {
        this.context = context;
        this.experiments = experiments;
        this.runs = runs;
    }

    /** Makes a pending logged model in the active experiment {@code experimentId}, of the run {@code sourceRunId} if given. */
    public LoggedModel create(Authorized writing, @Nullable String experimentId, @Nullable String name, @Nullable String sourceRunId,
                              @Nullable String modelType, List<Param> params, List<Tag> tags) throws IOException {
        long projectId = context.require(writing, Access.WRITE).project().id();
        Experiment e = experiments.get(writing, experimentId);
        if (e.deleted().isPresent()) {
            throw Models.invalid("The experiment " + e.iid() + " must be in the 'active' state. Current state is deleted.");
        }
        String modelName = name == null || name.isEmpty() ? "model-" + LoggedModel.newModelId().substring(2, 10) : name;
        if (modelName.length() > Runs.MAX_NAME || BAD_NAME.matcher(modelName).find()) {
            throw Models.invalid("Invalid model name '" + modelName + "': names may not contain any of / : . % \" ' and are at most "
                    + Runs.MAX_NAME + " characters long");
        }
        String type = modelType == null ? "" : modelType;
        if (type.length() > MAX_TYPE) {
            throw Models.invalid("Invalid value for parameter 'model_type': at most " + MAX_TYPE + " characters");
        }
        String source = sourceRunId == null ? "" : sourceRunId;
        if (!source.isEmpty()) {
            source = runs.get(writing, source).runId();
        }
        List<Tag> checked = Models.tags(tags);
        Runs.checkBatch(List.of(), params, checked);
        String from = source;
        return context.catalogCall("createLoggedModel", () -> context.tracking().createLoggedModel(projectId, e.iid(),
                LoggedModel.newModelId(), modelName, from, type, params, checked, context.now()))
                .orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + experimentId + " exists"));
    }

    /** The active logged model; a deleted or unknown one is MLflow's 404. */
    public LoggedModel get(Authorized reading, @Nullable String modelId) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        String id = Models.required(modelId, "model_id");
        return context.catalogCall("findLoggedModel", () -> context.tracking().findLoggedModel(projectId, id))
                .filter(m -> m.files().deleted().isEmpty()).orElseThrow(() -> notFound(id));
    }

    /** Sets its status: {@code LOGGED_MODEL_READY} once its files are uploaded, or {@code LOGGED_MODEL_UPLOAD_FAILED}. */
    public LoggedModel finalize(Authorized writing, @Nullable String modelId, @Nullable String status) throws IOException {
        long projectId = context.require(writing, Access.WRITE).project().id();
        LoggedModel m = get(writing, modelId);
        String s = Models.required(status, "status");
        if (!LoggedModel.STATUSES.contains(s)) {
            throw Models.invalid("Invalid value for parameter 'status': one of " + LoggedModel.STATUSES.stream().sorted().toList());
        }
        return context.catalogCall("setLoggedModelStatus", () -> context.tracking().setLoggedModelStatus(projectId, m.modelId(), s,
                context.now())).orElseThrow(() -> notFound(m.modelId()));
    }

    /** Sets tags (replacing values) and logs params, as a run's batch (a param's value never changes). */
    public void log(Authorized writing, @Nullable String modelId, List<Param> params, List<Tag> tags) throws IOException {
        LoggedModel m = get(writing, modelId);
        runs.logBatch(writing, m.files().runId(), List.of(), params, tags);
    }

    /** Removes one of its tags. */
    public void deleteTag(Authorized writing, @Nullable String modelId, @Nullable String key) throws IOException {
        runs.deleteTag(writing, get(writing, modelId).files().runId(), key);
    }

    /** Deletes it (its run is marked deleted; a version registered from it keeps its files). */
    public void delete(Authorized writing, @Nullable String modelId) throws IOException {
        runs.setDeleted(writing, get(writing, modelId).files().runId(), true);
    }

    /**
     * The {@code model_id}s of the active logged models the run produced: MLflow's {@code run.outputs.model_outputs},
     * which {@code register_model("runs:/<run_id>/<name>")} reads when the name is a logged model's rather than a
     * directory of the run's files.
     */
    public List<String> outputsOf(Authorized reading, org.mlregistry.core.model.Run run) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        return context.keepsRuns() ? context.catalogCall("loggedModelsOf", () -> context.tracking().loggedModelsOf(projectId,
                run.runId())) : List.of();
    }

    /** The active logged models of these experiments (ids that name none are left out), by creation. */
    public List<LoggedModel> of(Authorized reading, List<String> experimentIds) throws IOException {
        long projectId = context.require(reading, Access.READ).project().id();
        if (experimentIds.size() > Runs.MAX_SEARCHED_EXPERIMENTS) {
            throw Models.invalid("Invalid value for parameter 'experiment_ids': at most " + Runs.MAX_SEARCHED_EXPERIMENTS);
        }
        List<Long> iids = experimentIds.stream().filter(Models::isVersionId).map(Long::parseLong).distinct().toList();
        return iids.isEmpty() ? List.of() : context.catalogCall("listLoggedModels", () -> context.tracking()
                .listLoggedModels(projectId, iids)).stream().filter(m -> m.files().deleted().isEmpty()).toList();
    }

    private static RegistryException notFound(String modelId) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Logged model with ID '" + modelId + "' not found.");
    }
}
