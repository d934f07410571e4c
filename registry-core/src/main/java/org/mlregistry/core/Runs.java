package org.mlregistry.core;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingCatalog;

/**
 * A project's MLflow runs (GitLab's candidates), under the registry's permission rules, with MLflow's validation and
 * wording ({@code mlflow/utils/validation.py}): keys of alphanumerics, {@code _ - . /} and spaces that do not normalize
 * to another path, at most {@value Tag#MAX_KEY} characters; param values up to {@value Param#MAX_VALUE}; a batch of at
 * most {@value #MAX_METRICS} metrics, {@value #MAX_PARAMS_AND_TAGS} params, as many tags, {@value #MAX_ENTITIES} in all;
 * nothing logged to a deleted run. A run's {@code run_id} is 32 hexadecimal digits, as MLflow's server makes them.
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class Runs {

    /** MLflow's run statuses. */
    public static final Set<String> STATUSES = Set.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED");
    public static final int MAX_METRICS = 1000;
    public static final int MAX_PARAMS_AND_TAGS = 100;
    public static final int MAX_ENTITIES = 1000;
    /** The most experiments one search names. */
    public static final int MAX_SEARCHED_EXPERIMENTS = 100;
    /** The longest run name: the catalog's column. */
    public static final int MAX_NAME = 500;
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- ]{1,250}", Pattern.UNICODE_CHARACTER_CLASS);

    private final RegistryContext context;
    private final Experiments experiments;

    Runs(RegistryContext context, Experiments experiments) {
        this.context = context;
        this.experiments = experiments;
    }

    /** Starts a run in the experiment {@code experimentId}, which must be active. */
    public Run create(Authorized writing, @Nullable String experimentId, @Nullable String runName, long startTime, List<Tag> tags)
            throws IOException {
        long projectId = writable(writing);
        Experiment e = experiments.get(writing, experimentId);
        if (e.deleted().isPresent()) {
            throw Models.invalid("The experiment " + e.iid() + " must be in the 'active' state. Current state is deleted.");
        }
        List<Tag> checked = Models.tags(tags);
        checked.forEach(t -> key(t.key(), "tag"));
        String name = name(runName != null ? runName
                : checked.stream().filter(t -> t.key().equals("mlflow.runName")).map(Tag::value).findFirst().orElse(""));
        String runId = Run.newRunId();
        return call("createRun", () -> context.tracking().createRun(projectId, e.iid(), runId, name, writing.user(), startTime, checked,
                context.now())).orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST,
                        "No Experiment with id=" + experimentId + " exists"));
    }

    /** The run, active or deleted. */
    public Run get(Authorized reading, @Nullable String runId) throws IOException {
        return find(readable(reading), runId);
    }

    /** The run whose {@code iid} (GitLab's candidate number, {@code candidate:<iid>}) this is, active or deleted. */
    public Run byIid(Authorized reading, long iid) throws IOException {
        long projectId = readable(reading);
        return call("findRunByIid", () -> context.tracking().findRunByIid(projectId, iid))
                .orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No run with iid " + iid + " exists"));
    }

    /** Changes the run's status (one of {@link #STATUSES}), end time and name. */
    public Run update(Authorized writing, @Nullable String runId, @Nullable String status, Optional<Long> endTime,
                      @Nullable String runName) throws IOException {
        long projectId = writable(writing);
        Run r = active(find(projectId, runId));
        String s = status == null ? r.status() : status;
        String newName = runName == null ? null : name(runName);
        if (!STATUSES.contains(s)) {
            throw Models.invalid("Invalid value for parameter 'status': one of FAILED, FINISHED, KILLED, RUNNING, SCHEDULED");
        }
        TrackingCatalog.RunUpdate update = new TrackingCatalog.RunUpdate(s, endTime, Optional.ofNullable(newName));
        return call("updateRun", () -> context.tracking().updateRun(projectId, r.runId(), update)).orElseThrow(() -> notFound(runId));
    }

    /** Marks the run deleted, or active again: either again is no error, as in MLflow. */
    public void setDeleted(Authorized writing, @Nullable String runId, boolean deleted) throws IOException {
        long projectId = writable(writing);
        Run r = find(projectId, runId);
        if (call("setRunDeleted", () -> context.tracking().setRunDeleted(projectId, r.runId(), deleted, context.now())).isEmpty()) {
            throw notFound(runId);
        }
    }

    /** Logs metric points, params and tags in one transaction, after checking the whole batch. */
    public void logBatch(Authorized writing, @Nullable String runId, List<Metric> metrics, List<Param> params, List<Tag> tags)
            throws IOException {
        long projectId = writable(writing);
        checkBatch(metrics, params, tags);
        List<Param> distinct = List.copyOf(params);
        Run r = active(find(projectId, runId));
        if (!call("logBatch", () -> context.tracking().logBatch(projectId, r.runId(), metrics, distinct, tags))) {
            throw notFound(runId);
        }
    }

    /** Refuses a batch over MLflow's limits, or with a key, timestamp or value MLflow refuses, in MLflow's words. */
    static void checkBatch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (metrics.size() > MAX_METRICS) {
            throw Models.invalid("A batch logging request can contain at most " + MAX_METRICS + " metrics. Got " + metrics.size()
                    + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params.size() > MAX_PARAMS_AND_TAGS) {
            throw Models.invalid("A batch logging request can contain at most " + MAX_PARAMS_AND_TAGS + " params. Got "
                    + params.size() + " params. Please split up params across multiple requests and try again.");
        }
        if (tags.size() > MAX_PARAMS_AND_TAGS) {
            throw Models.invalid("A batch logging request can contain at most " + MAX_PARAMS_AND_TAGS + " tags. Got "
                    + tags.size() + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > MAX_ENTITIES) {
            throw Models.invalid("A batch logging request can contain at most " + MAX_ENTITIES + " metrics, params, and tags. Got "
                    + total + " metrics, params, and tags. Please split up across multiple requests and try again.");
        }
        for (Metric m : metrics) {
            if (m.timestamp() < 0) {
                throw Models.invalid("Got invalid timestamp " + m.timestamp() + " for metric '" + m.key()
                        + "'. Timestamp must be a nonnegative long (64-bit integer)");
            }
        }
        metrics.forEach(m -> key(m.key(), "metric"));
        params.forEach(p -> {
            key(p.key(), "parameter");
            if (p.value().length() > Param.MAX_VALUE) {
                throw Models.invalid("Param value exceeds the maximum length of " + Param.MAX_VALUE + " characters");
            }
        });
        tags.forEach(t -> key(t.key(), "tag"));
        Set<String> seen = new java.util.HashSet<>();
        for (Param p : params) {
            if (!seen.add(p.key())) {
                throw Models.invalid("Duplicate parameter keys have been submitted: ['" + p.key() + "']. Please ensure the request"
                        + " contains only one param value per param key.");
            }
        }
    }

    /**
     * Every run of these experiments (their ids as MLflow sends them; ids that name none are left out), active and
     * deleted, with their latest metrics, params and tags: what a search filters, orders and pages.
     */
    public List<Run> of(Authorized reading, List<String> experimentIds) throws IOException {
        long projectId = readable(reading);
        if (experimentIds.size() > MAX_SEARCHED_EXPERIMENTS) {
            throw Models.invalid("Invalid value for parameter 'experiment_ids': at most " + MAX_SEARCHED_EXPERIMENTS);
        }
        List<Long> iids = experimentIds.stream().filter(Models::isVersionId).map(Long::parseLong).distinct().toList();
        return iids.isEmpty() ? List.of() : call("listRuns", () -> context.tracking().listRuns(projectId, iids));
    }

    /** Removes one of the run's tags; a key it does not have is MLflow's 404. */
    public void deleteTag(Authorized writing, @Nullable String runId, @Nullable String key) throws IOException {
        long projectId = writable(writing);
        String k = Models.required(key, "key");
        Run r = active(find(projectId, runId));
        if (!call("deleteRunTag", () -> context.tracking().deleteRunTag(projectId, r.runId(), k))) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No tag with name: " + k + " in run with id " + r.runId());
        }
    }

    /** The points of the run's metric {@code key} in the order logged, from {@code offset}, at most {@code limit}. */
    public List<Metric> history(Authorized reading, @Nullable String runId, @Nullable String key, int offset, int limit)
            throws IOException {
        long projectId = readable(reading);
        String k = Models.required(key, "metric_key");
        Run r = find(projectId, runId);
        return call("metricHistory", () -> context.tracking().metricHistory(projectId, r.runId(), k, offset, limit));
    }

    /** A run's name: at most {@value #MAX_NAME} characters, well-formed. */
    private static String name(String name) {
        if (name.length() > MAX_NAME) {
            throw Models.invalid("Invalid value for parameter 'run_name': at most " + MAX_NAME + " characters");
        }
        try {
            return org.mlregistry.core.model.NameRules.wellFormed(name, "run_name");
        } catch (IllegalArgumentException e) {
            throw Models.invalid(String.valueOf(e.getMessage()));
        }
    }

    /** The most columns a sketch has: a chart several screens wide. */
    public static final int MAX_SKETCH_COLUMNS = 4096;

    /**
     * The metric {@code key} of {@code run} (as this project's {@link #get} or {@link #byIid} found it) reduced to at most
     * {@code columns} columns (1 to {@link #MAX_SKETCH_COLUMNS}).
     */
    public MetricSketch sketch(Authorized reading, Run run, @Nullable String key, int columns) throws IOException {
        long projectId = readable(reading);
        String k = Models.required(key, "metric_key");
        if (columns < 1 || columns > MAX_SKETCH_COLUMNS) {
            throw new IllegalArgumentException("columns must be 1 to " + MAX_SKETCH_COLUMNS);
        }
        if (run.projectId() != projectId) {
            throw notFound(run.runId()); // another project's run: as if it did not exist
        }
        return call("metricSketch", () -> context.tracking().metricSketch(projectId, run.runId(), k, columns));
    }

    /**
     * The files of the run whose {@code iid} this is (a version's run: the version's), by path, from one read of their
     * manifest; empty where the registry keeps no manifests.
     */
    public List<ManifestFile> files(Authorized reading, long iid) throws IOException {
        long projectId = readable(reading);
        long key = call("runFiles", () -> context.tracking().runFiles(projectId, iid))
                .orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "No run with iid " + iid + " exists"));
        Optional<BlobFileStore> blobs = context.blobFiles();
        if (blobs.isEmpty()) {
            return List.of();
        }
        return call("manifest", () -> blobs.get().manifests().manifest(key)).map(Manifest::files).orElse(List.of()).stream()
                .sorted(Comparator.comparing(f -> f.path().toString())).toList();
    }

    /** A metric, param or tag key as MLflow accepts it. */
    static void key(String key, String what) {
        if (!KEY.matcher(key).matches() || key.startsWith("/") || key.endsWith("/") || key.contains("//")
                || List.of(key.split("/", -1)).contains("..") || List.of(key.split("/", -1)).contains(".")) {
            throw Models.invalid("Invalid " + what + " name: '" + key + "'. Names may only contain alphanumerics, underscores (_), "
                    + "dashes (-), periods (.), spaces ( ), and slashes (/), and must be unique when normalized as a path.");
        }
    }

    private Run find(long projectId, @Nullable String runId) {
        String id = Models.required(runId, "run_id");
        if (id.length() > 256) {
            throw notFound(id);
        }
        return call("findRun", () -> context.tracking().findRun(projectId, id)).orElseThrow(() -> notFound(id));
    }

    private static Run active(Run r) {
        if (r.deleted().isPresent()) {
            throw Models.invalid("The run " + r.runId() + " must be in the 'active' state. Current state is deleted.");
        }
        return r;
    }

    private static RegistryException notFound(@Nullable String runId) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Run with id=" + runId + " not found");
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
}
