package org.mlregistry.core;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ModelFileStore;

/**
 * Makes a run's files a new model version without copying a byte: what MLflow's
 * {@code register_model("runs:/<run_id>/<path>", name)} and GitLab's {@code model-versions/create} with a {@code run_id}
 * do. The run is named by {@code run_id} or by a {@code source} of {@code runs:/<run_id>[/<path>]}; a {@code source}
 * inside the run's {@code artifact_uri} (what MLflow's client sends: {@code mlflow-artifacts:/candidate:<iid>/model})
 * gives the directory that MLflow clients download as the model. Any other {@code source} is kept out of it, as GitLab
 * ignores it. An MLflow 3 logged model, named by {@code model_id} or a {@code source} of {@code models:/m-<id>}, lends the
 * version its files and stays as it is. The catalog moves (or, lending, copies) the run's manifest rows, never bytes
 * ({@link org.mlregistry.core.spi.TrackingCatalog#promoteRun}).
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class RunRegistrations {

    private static final String RUNS_SCHEME = "runs:/";
    /** {@code models:/m-<32 hex digits>}: a logged model (a registered model named {@code m-...} has a version after it). */
    private static final java.util.regex.Pattern LOGGED_MODEL = java.util.regex.Pattern.compile("models:/(m-[0-9a-f]{32})/?");

    private final RegistryContext context;
    private final Models models;
    private final Runs runs;
    private final LoggedModels loggedModels;

    RunRegistrations(RegistryContext context, Models models, Runs runs, LoggedModels loggedModels) {
        this.context = context;
        this.models = models;
        this.runs = runs;
        this.loggedModels = loggedModels;
    }

    /**
     * Creates a version of the model as {@link Models#createVersion(Authorized, String, String, String, List)} does, with
     * the files of the run {@code runId} or {@code source} names, or of the logged model {@code modelId} or {@code source}
     * names, if any of them names one.
     *
     * @throws RegistryException {@link Refusal#RESOURCE_DOES_NOT_EXIST} for no such run; {@link Refusal#INVALID_PARAMETER_VALUE}
     *     for a deleted run, a {@code run_id} and a {@code source} naming two runs, a path that is no directory path, or
     *     a run's files kept outside the catalog (a registry without blobs)
     */
    public ModelVersion createVersion(Authorized writing, @Nullable String model, @Nullable String version, @Nullable String description,
                                      List<Tag> tags, @Nullable String runId, @Nullable String source, @Nullable String modelId)
            throws IOException {
        if (!context.keepsRuns()) {
            return models.createVersion(writing, model, version, description, tags); // GitLab, too, creates it without a run
        }
        Optional<String> logged = Optional.ofNullable(modelId).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(source).map(LOGGED_MODEL::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1)));
        Optional<String> named = logged.isPresent() ? Optional.of(loggedModels.get(writing, logged.get()).files().runId())
                : runNamed(runId, source);
        if (named.isEmpty()) {
            return models.createVersion(writing, model, version, description, tags);
        }
        long projectId = context.require(writing, Access.WRITE).project().id();
        Run run = runs.get(writing, named.get());
        if (run.deleted().isPresent()) {
            throw Models.invalid("The run " + run.runId() + " must be in the 'active' state. Current state is deleted.");
        }
        String path = logged.isPresent() ? "" : sourcePath(run, source);
        if (path.isEmpty() && run.versionId().isPresent() && logged.isEmpty()) {
            // MlflowClient.copy_model_version sends source models:/<name>/<version> and that version's run: the copy loads
            // the same directory as the original
            path = context.catalogCall("findVersion", () -> context.catalog().findVersion(projectId, run.versionId().get()))
                    .map(ModelVersion::sourcePath).orElse("");
        }
        ModelFileStore layout = context.blobFiles().map(BlobFileStore::layout).orElse(null);
        if (layout == null && context.files() instanceof ModelFileStore store) {
            layout = store;
        }
        if (layout != null && run.versionId().isEmpty() && layout.hasVersion(projectId, ModelVersionRef.ofCandidate(run.iid()))) {
            throw Models.invalid("The run's files include some placed in storage's directory candidate_" + run.iid() + " by hand or by "
                    + "an earlier release, which a version cannot take without a copy: upload them through the API first");
        }
        String promotedPath = path;
        ModelVersion created = models.createVersion(writing, model, version, description, tags);
        try {
            return context.catalogCall("promoteRun", () -> context.tracking().promoteRun(projectId, run.runId(), created.id(), promotedPath,
                    context.now())).orElseThrow(RegistryContext::versionNotFound);
        } catch (RuntimeException failed) {
            try {
                models.deleteVersion(writing, created.modelName().value(), Long.toString(created.id()));
            } catch (RuntimeException | IOException undo) {
                failed.addSuppressed(undo);
            }
            throw failed;
        }
    }

    /** The run {@code run_id} names, else the one a {@code runs:/} {@code source} names; refused when they differ. */
    private static Optional<String> runNamed(@Nullable String runId, @Nullable String source) {
        Optional<String> byId = Optional.ofNullable(runId).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> bySource = Optional.ofNullable(source).filter(s -> s.startsWith(RUNS_SCHEME))
                .map(s -> s.substring(RUNS_SCHEME.length()).split("/", 2)[0]);
        if (byId.isPresent() && bySource.isPresent() && !byId.get().equals(bySource.get())) {
            throw Models.invalid("run_id '" + byId.get() + "' and source '" + source + "' name different runs");
        }
        return byId.or(() -> bySource);
    }

    /** The directory of the run's files that {@code source} names ({@code ""} for all of them), checked as a path. */
    private static String sourcePath(Run run, @Nullable String source) {
        if (source == null) {
            return "";
        }
        String rest;
        if (source.startsWith(RUNS_SCHEME + run.runId())) {
            rest = source.substring(RUNS_SCHEME.length() + run.runId().length());
        } else if (source.startsWith(run.artifactUri()) || source.startsWith("mlflow-artifacts:/candidate:" + run.iid())) {
            rest = source.substring(source.startsWith(run.artifactUri()) ? run.artifactUri().length()
                    : ("mlflow-artifacts:/candidate:" + run.iid()).length());
        } else {
            return "";
        }
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            return ""; // another run's (candidate:12 is no prefix of candidate:123's directories)
        }
        String relative = rest.replaceAll("^/+|/+$", "");
        if (relative.isEmpty()) {
            return "";
        }
        if (relative.length() > FilePath.MAX_LENGTH) {
            throw Models.invalid("source '" + source.substring(0, 64) + "...' names a path longer than " + FilePath.MAX_LENGTH + " characters");
        }
        try {
            return DirectoryPath.parse(relative).toString();
        } catch (IllegalArgumentException e) {
            throw Models.invalid("source '" + source + "' does not name a directory of the run's files: " + e.getMessage());
        }
    }
}
