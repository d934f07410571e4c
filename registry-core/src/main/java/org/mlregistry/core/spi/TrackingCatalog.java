package org.mlregistry.core.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;

/**
 * What training logs, as a catalog keeps it: MLflow experiments per project and their runs, with the runs' metrics
 * (every point), parameters and tags. A {@link ModelCatalog} that also implements this makes the registry answer MLflow's tracking API; without
 * it those endpoints answer 400 {@code INVALID_PARAMETER_VALUE}, saying the catalog does not keep experiments. Every
 * change is one transaction; an experiment has at most {@link org.mlregistry.core.model.Tag#MAX_PER_ENTITY} tags.
 *
 * <p>Models and versions have runs, as in GitLab: a registered model has an experiment {@code [model]<name>} (made with
 * it, renamed with it where the name is free, deleted with it, and never deleted or renamed alone:
 * {@link TrackingRefusals#modelExperiment()}); every version has a run in it, made in the version's own transaction,
 * whose {@code run_id} is {@link org.mlregistry.core.model.ModelVersion#runId()} and whose files are the version's.
 * A run of its own keeps its files in a manifest of its own ({@link Run#manifestKey}) when the catalog is also a
 * {@link ManifestCatalog}; deleting its model (or its version) deletes the run and that manifest.
 *
 * <p>Refusals are {@link org.mlregistry.core.RegistryException}s: {@code RESOURCE_ALREADY_EXISTS} for a name taken in
 * the project (by an active or a deleted experiment). The core test-jar's {@code TrackingCatalogContract} is what every
 * catalog passes.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface TrackingCatalog {

    /** Creates an active experiment with the project's next {@code iid} (1 for its first). */
    Experiment createExperiment(long projectId, String name, List<Tag> tags, Instant now) throws IOException;

    /** The project's experiment with this {@code iid}, active or deleted. */
    Optional<Experiment> findExperiment(long projectId, long iid) throws IOException;

    /** The project's experiment with this exact name, active or deleted. */
    Optional<Experiment> findExperimentByName(long projectId, String name) throws IOException;

    /**
     * Every experiment of the project, active and deleted, by {@code iid}, without their tags (empty lists): a listing
     * reads the tags of the experiments it shows only ({@link #experimentTags}), since an experiment's tags may be half a
     * megabyte.
     */
    List<Experiment> listExperiments(long projectId) throws IOException;

    /** The tags of these experiments of the project, by {@code iid}; experiments without tags are left out. */
    Map<Long, List<Tag>> experimentTags(long projectId, Collection<Long> iids) throws IOException;

    /**
     * Marks the experiment deleted ({@code deleted} true, keeping the time it was first deleted) or active again; empty
     * when the project has no such experiment.
     */
    Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) throws IOException;

    /** Renames the experiment; empty when there is none. */
    Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) throws IOException;

    /**
     * Sets the experiment's tag (replacing its value); false when there is no such experiment.
     *
     * @throws org.mlregistry.core.RegistryException {@code INVALID_PARAMETER_VALUE} for a new key past the tags' limit
     */
    boolean setExperimentTag(long projectId, long iid, Tag tag, Instant now) throws IOException;

    /** Removes the experiment's tag; false when the experiment or the tag does not exist. */
    boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) throws IOException;

    /** What a run's update changes: its status, and its end time and name where given. */
    record RunUpdate(String status, Optional<Long> endTime, Optional<String> name) {
    }

    /**
     * Creates an active run of the project's experiment {@code experimentIid} with the project's next run {@code iid};
     * empty when there is no such experiment.
     */
    Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId, long startTime,
                            List<Tag> tags, Instant now) throws IOException;

    /** The project's run with this MLflow {@code run_id}, active or deleted, with its latest metrics, params and tags. */
    Optional<Run> findRun(long projectId, String runId) throws IOException;

    /**
     * Every run of these experiments of the project, active and deleted, each with its latest metrics, params and tags:
     * what a run search filters, orders and pages (a few queries however many runs).
     */
    List<Run> listRuns(long projectId, Collection<Long> experimentIids) throws IOException;

    /** The project's run that {@code candidate:<iid>} names, active or deleted. */
    Optional<Run> findRunByIid(long projectId, long iid) throws IOException;

    /** Changes the run's status, end time and name; empty when there is no such run. */
    Optional<Run> updateRun(long projectId, String runId, RunUpdate update) throws IOException;

    /** Marks the run deleted or active again; empty when there is no such run. */
    Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) throws IOException;

    /**
     * Logs to the run in one transaction: metric points, params (a key logged before with another value refuses the whole
     * batch), tags (set, replacing their values); false when there is no such run.
     *
     * @throws org.mlregistry.core.RegistryException {@code INVALID_PARAMETER_VALUE} for a param's changed value
     */
    boolean logBatch(long projectId, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) throws IOException;

    /** Removes the run's tag; false when the run or the tag does not exist. */
    boolean deleteRunTag(long projectId, String runId, String key) throws IOException;

    /**
     * The key of the manifest holding the files of the project's active run that {@code candidate:<iid>} names
     * ({@link Run#filesKey()}); empty when no active run has that iid.
     */
    default Optional<Long> runFiles(long projectId, long iid) throws IOException {
        return Optional.empty(); // a catalog written before runs' files were kept: they stay in the directory layout
    }

    /**
     * Gives the version just created for the run the run's files, in one transaction and copying no bytes. A run of its
     * own becomes the version's run: its files move into the version's manifest and the run the version was created with
     * goes. A run that is already a version's lends the new version that version's current files (rows that name the
     * same blobs), and the new version keeps its own run. The version's {@code sourcePath} is set.
     *
     * @return the version as it is now; empty when the project has no such version
     * @throws org.mlregistry.core.RegistryException {@code RESOURCE_DOES_NOT_EXIST} for no such run,
     *     {@code INVALID_PARAMETER_VALUE} for a deleted run ({@link TrackingRefusals#runDeleted}) or a version with files
     */
    default Optional<ModelVersion> promoteRun(long projectId, String runId, long versionId, String sourcePath, Instant now)
            throws IOException {
        throw new org.mlregistry.core.RegistryException(org.mlregistry.core.Refusal.INVALID_PARAMETER_VALUE,
                "this registry's catalog does not promote runs to versions");
    }

    /**
     * Creates a pending logged model in the project's experiment {@code experimentIid}, with a run of its own (named
     * {@code name}, started {@code now}) that keeps its files, params and tags and that {@link #listRuns} leaves out;
     * empty when there is no such experiment.
     */
    default Optional<LoggedModel> createLoggedModel(long projectId, long experimentIid, String modelId, String name, String sourceRunId,
                                                    String modelType, List<Param> params, List<Tag> tags, Instant now) throws IOException {
        throw new org.mlregistry.core.RegistryException(org.mlregistry.core.Refusal.INVALID_PARAMETER_VALUE,
                "this registry's catalog does not keep logged models");
    }

    /** The project's logged model with this {@code model_id}, active or deleted (as its run is). */
    default Optional<LoggedModel> findLoggedModel(long projectId, String modelId) throws IOException {
        return Optional.empty();
    }

    /** The logged models of these experiments of the project, active and deleted, by creation. */
    default List<LoggedModel> listLoggedModels(long projectId, Collection<Long> experimentIids) throws IOException {
        return List.of();
    }

    /** The {@code model_id}s of the project's active logged models whose source run is {@code runId}, oldest first. */
    default List<String> loggedModelsOf(long projectId, String runId) throws IOException {
        return List.of();
    }

    /** Sets the logged model's status; empty when there is no such model. */
    default Optional<LoggedModel> setLoggedModelStatus(long projectId, String modelId, String status, Instant now) throws IOException {
        return Optional.empty();
    }

    /**
     * Deletes for good the experiments deleted before {@code deletedBefore}, with their runs and logged models, and the
     * manifests of those runs (their blobs go with the next collection); a model's experiment, and one with a run that is
     * a version's, stay. MLflow's {@code gc}, which the garbage collection runs past the history's keep.
     *
     * @return how many experiments went
     */
    default int purgeExperiments(Instant deletedBefore) throws IOException {
        return 0;
    }

    /** The points of the run's metric {@code key} in the order they were logged, from {@code offset}, at most {@code limit}. */
    List<Metric> metricHistory(long projectId, String runId, String key, int offset, int limit) throws IOException;

    /**
     * The run's metric {@code key} reduced to at most {@code columns} columns ({@link MetricSketch}): what a chart draws.
     * This default reads the whole history a page at a time; a database does better with one grouped query.
     */
    default MetricSketch metricSketch(long projectId, String runId, String key, int columns) throws IOException {
        List<Metric> all = new ArrayList<>();
        for (int offset = 0; ; offset += SKETCH_PAGE) {
            List<Metric> page = metricHistory(projectId, runId, key, offset, SKETCH_PAGE);
            all.addAll(page);
            if (page.size() < SKETCH_PAGE) {
                return MetricSketch.of(key, all, columns);
            }
        }
    }

    /** How many points the default {@link #metricSketch} reads at a time. */
    int SKETCH_PAGE = 25_000;
}
