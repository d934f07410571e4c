package org.mlregistry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLflow run of an experiment: GitLab's candidate. {@code runId} is what MLflow clients name it by (32 hexadecimal
 * digits), {@code iid} what {@code candidate:<iid>} names it by on the file route. Its metrics here are each key's
 * latest point ({@link Metric#LATEST}); the whole history is read separately.
 *
 * @param id the catalog's id for it
 * @param projectId its project
 * @param iid its number within the project
 * @param runId MLflow's {@code run_id}
 * @param experimentIid its experiment's {@code iid}
 * @param name its name (empty when none)
 * @param userId who created it (empty when unknown)
 * @param status MLflow's status: {@code RUNNING}, {@code SCHEDULED}, {@code FINISHED}, {@code FAILED} or {@code KILLED}
 * @param startTime when it started, in milliseconds
 * @param endTime when it ended, in milliseconds, if it has
 * @param deleted when it was deleted, empty while it is active
 * @param metrics each metric's latest point, by key
 * @param params its parameters, by key
 * @param tags its tags, by key
 * @param versionId the model version whose run it is (its files are that version's), empty for a run of its own
 */
public record Run(long id, long projectId, long iid, String runId, long experimentIid, String name, String userId, String status,
                  long startTime, Optional<Long> endTime, Optional<Instant> deleted, List<Metric> metrics, List<Param> params,
                  List<Tag> tags, Optional<Long> versionId) {

    public Run {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(deleted, "deleted");
        metrics = List.copyOf(metrics);
        params = List.copyOf(params);
        tags = List.copyOf(tags);
        Objects.requireNonNull(versionId, "versionId");
    }

    /** This run deleted (keeping the time it was first deleted) or active again. */
    public Run withDeleted(boolean delete, Instant now) {
        return new Run(id, projectId, iid, runId, experimentIid, name, userId, status, startTime, endTime,
                delete ? Optional.of(deleted.orElse(now)) : Optional.empty(), metrics, params, tags, versionId);
    }

    /** This run with another end time. */
    public Run withEndTime(Optional<Long> newEndTime) {
        return new Run(id, projectId, iid, runId, experimentIid, name, userId, status, startTime, newEndTime, deleted, metrics, params,
                tags, versionId);
    }

    /** This run as the run of another version, or of none. */
    public Run withVersionId(Optional<Long> newVersionId) {
        return new Run(id, projectId, iid, runId, experimentIid, name, userId, status, startTime, endTime, deleted, metrics, params,
                tags, newVersionId);
    }

    /** A new MLflow {@code run_id}: a random UUID's 32 hexadecimal digits, as MLflow's server makes them. */
    public static String newRunId() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The key of the manifest that holds the files of a run of its own, by the run's catalog {@code id}: minus it, so
     * that no version's id (which keys a version's manifest) is ever one.
     */
    public static long manifestKey(long id) {
        return -id;
    }

    /** The key of the manifest holding this run's files: its version's id, or {@link #manifestKey(long)} of its own. */
    public long filesKey() {
        return versionId.orElse(manifestKey(id));
    }

    /**
     * Where MLflow clients upload, list and download its files: {@code mlflow-artifacts:/candidate:<iid>}, or its
     * version's {@code mlflow-artifacts:/<id>} when it is a version's run (its {@code candidate:<iid>} names the same files).
     */
    public String artifactUri() {
        return "mlflow-artifacts:/" + versionId.map(String::valueOf).orElse("candidate:" + iid);
    }

    /** MLflow's {@code lifecycle_stage}: {@code active} or {@code deleted}. */
    public String lifecycleStage() {
        return deleted.isPresent() ? "deleted" : "active";
    }
}
