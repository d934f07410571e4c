package org.mlregistry.core.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Tag;

/**
 * What training logs, as a catalog keeps it: MLflow experiments per project (runs, their metrics, parameters and files
 * come next). A {@link ModelCatalog} that also implements this makes the registry answer MLflow's tracking API; without
 * it those endpoints answer 400 {@code INVALID_PARAMETER_VALUE}, saying the catalog does not keep experiments. Every
 * change is one transaction; an experiment has at most {@link org.mlregistry.core.model.Tag#MAX_PER_ENTITY} tags.
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

    /** Every experiment of the project, active and deleted, by {@code iid}. */
    List<Experiment> listExperiments(long projectId) throws IOException;

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
}
