package org.mlregistry.core.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;

/**
 * Registered models and their versions, per project: the registry's metadata, as a database keeps it.
 * Uniqueness is the catalog's job and must hold under concurrency (a constraint, not a check then an
 * insert): of two concurrent creates of one name, one succeeds and the other is refused with
 * {@code RESOURCE_ALREADY_EXISTS}. Version ids are unique across the whole catalog and never reused.
 *
 * <p>Refusals are {@link org.mlregistry.core.RegistryException}s: {@code RESOURCE_ALREADY_EXISTS},
 * {@code RESOURCE_DOES_NOT_EXIST} (a version of a missing model). Absence is an empty {@code Optional};
 * an unreachable database is an {@link IOException}. The core test-jar's {@code ModelCatalogContract} is
 * what every catalog passes.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface ModelCatalog {

    /** Creates a model; {@code createdBy} is the user's name, or empty. */
    RegisteredModel createModel(long projectId, ModelName name, String description, List<Tag> tags, String createdBy,
                                Instant now) throws IOException;

    /** The model of that name in the project. */
    Optional<RegisteredModel> findModel(long projectId, ModelName name) throws IOException;

    /** All models of the project, by name. */
    List<RegisteredModel> listModels(long projectId) throws IOException;

    /** Sets the description; empty when there is no such model. */
    Optional<RegisteredModel> updateModel(long projectId, ModelName name, String description, Instant now) throws IOException;

    /**
     * Deletes the model and all its versions, recording each as a {@link DeletedVersion} in the same transaction.
     *
     * @return the deleted versions (their files are the caller's to delete), or empty when there was no model
     */
    Optional<List<ModelVersion>> deleteModel(long projectId, ModelName name) throws IOException;

    /**
     * Creates a version of the model: {@code version}, or the next patch of its highest version
     * ({@link SemanticVersion#FIRST} for the first) when empty.
     */
    ModelVersion createVersion(long projectId, ModelName model, Optional<SemanticVersion> version, String description,
                               List<Tag> tags, Instant now) throws IOException;

    /** The version with that id in the project (a version of another project is absent). */
    Optional<ModelVersion> findVersion(long projectId, long versionId) throws IOException;

    /** The model's versions, oldest first; empty when there is no such model. */
    List<ModelVersion> listVersions(long projectId, ModelName model) throws IOException;

    /**
     * The versions of the project's models named in {@code models}, by id (oldest first): a search of versions in one
     * call however many models it covers. A name of no model adds nothing. The default asks
     * {@link #listVersions(long, ModelName)} for each model; a database overrides it with one query.
     */
    default List<ModelVersion> listVersionsOf(long projectId, Collection<ModelName> models) throws IOException {
        List<ModelVersion> out = new ArrayList<>();
        for (ModelName m : models) {
            out.addAll(listVersions(projectId, m));
        }
        out.sort(Comparator.comparingLong(ModelVersion::id));
        return out;
    }

    /**
     * The latest version (the highest semantic version, {@link ModelVersion#PRECEDENCE}) of each of the project's models
     * named in {@code models} that has one: a search's page of models in one call however long the page, from
     * {@link #listVersionsOf}.
     */
    default Map<ModelName, ModelVersion> latestVersions(long projectId, Collection<ModelName> models) throws IOException {
        Map<ModelName, ModelVersion> out = new HashMap<>();
        for (ModelVersion v : listVersionsOf(projectId, models)) {
            out.merge(v.modelName(), v, BinaryOperator.maxBy(ModelVersion.PRECEDENCE));
        }
        return out;
    }

    /** Sets a version's description; empty when there is no such version in the project. */
    Optional<ModelVersion> updateVersion(long projectId, long versionId, String description, Instant now) throws IOException;

    /**
     * Deletes a version, recording it as a {@link DeletedVersion} in the same transaction; false when there was none in
     * the project (also when a concurrent deletion, of it or of its model, got there first).
     */
    boolean deleteVersion(long projectId, long versionId) throws IOException;

    /**
     * Sets the model's tag {@code tag.key()} to {@code tag.value()}: replaced where the key is, else added last, in one
     * transaction (concurrent settings of other keys are all kept); empty when there is no such model.
     *
     * @throws org.mlregistry.core.RegistryException {@code INVALID_PARAMETER_VALUE} for a tag past
     *     {@link Tag#MAX_PER_ENTITY}; the default, for a catalog that cannot change tags
     */
    default Optional<RegisteredModel> setModelTag(long projectId, ModelName name, Tag tag, Instant now) throws IOException {
        throw unsupported("setting tags");
    }

    /** Removes the model's tag {@code key} (nothing when it has none); empty when there is no such model. */
    default Optional<RegisteredModel> deleteModelTag(long projectId, ModelName name, String key, Instant now) throws IOException {
        throw unsupported("deleting tags");
    }

    /** As {@link #setModelTag}, for a version of the project. */
    default Optional<ModelVersion> setVersionTag(long projectId, long versionId, Tag tag, Instant now) throws IOException {
        throw unsupported("setting tags");
    }

    /** As {@link #deleteModelTag}, for a version of the project. */
    default Optional<ModelVersion> deleteVersionTag(long projectId, long versionId, String key, Instant now) throws IOException {
        throw unsupported("deleting tags");
    }

    /**
     * Renames the model, keeping its versions, files and aliases; empty when there is no such model.
     *
     * @throws org.mlregistry.core.RegistryException {@code RESOURCE_ALREADY_EXISTS} when the project has a model of the
     *     new name
     */
    default Optional<RegisteredModel> renameModel(long projectId, ModelName name, ModelName newName, Instant now)
            throws IOException {
        throw unsupported("renaming models");
    }

    /**
     * Points the model's alias {@code alias} at the version {@code versionId} (of that model), replacing where it
     * pointed; deleting the version deletes its aliases.
     *
     * @return whether the model and its version exist
     */
    default boolean setAlias(long projectId, ModelName model, String alias, long versionId) throws IOException {
        throw unsupported("setting aliases");
    }

    /** Removes the model's alias; whether there was one. */
    default boolean deleteAlias(long projectId, ModelName model, String alias) throws IOException {
        throw unsupported("deleting aliases");
    }

    /**
     * The aliases of each of these models of the project that has any, each model's as alias to version id in the
     * aliases' order, by model id; empty for a catalog without aliases. One call for a page of models however long.
     */
    default Map<Long, Map<String, Long>> aliases(long projectId, Collection<Long> modelIds) throws IOException {
        return Map.of();
    }

    /**
     * Moves the version into {@code stage} ({@link Stage#NONE}: out of any); with {@code archiveExisting}, the model's
     * other versions in that stage move to {@link Stage#ARCHIVED} in the same transaction (MLflow's
     * {@code archive_existing_versions}, for {@link Stage#STAGING} and {@link Stage#PRODUCTION}). Empty when there is no
     * such version in the project.
     */
    default Optional<ModelVersion> transitionStage(long projectId, long versionId, Stage stage, boolean archiveExisting, Instant now)
            throws IOException {
        throw unsupported("stages");
    }

    /**
     * The stage of each of these versions of the project that is in one, by version id; empty for a catalog without
     * stages. One call for a page of versions however long.
     */
    default Map<Long, Stage> stages(long projectId, Collection<Long> versionIds) throws IOException {
        return Map.of();
    }

    private static RegistryException unsupported(String what) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "this model catalog does not support " + what);
    }

    /**
     * Deleted versions whose files have not been reported removed ({@link #filesRemoved}), with ids above
     * {@code afterVersionId}, at most {@code limit}, by id: a page of them, the next one starting after the last id
     * of this one. The default, for a catalog that records none, is none.
     */
    default List<DeletedVersion> deletedVersions(long afterVersionId, int limit) throws IOException {
        return List.of();
    }

    /** Storage holds nothing more of the deleted version {@code versionId}: its record goes. */
    default void filesRemoved(long versionId) throws IOException {
    }

    /**
     * Returns when the database answers now and throws when it does not: the registry's health check. The
     * default assumes it always answers (an in-memory source, say).
     *
     * @throws IOException when it cannot be reached
     */
    default void checkReachable() throws IOException {
    }
}
