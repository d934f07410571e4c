package org.mlregistry.core.memory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.TrackingRefusals;

/**
 * A {@link ModelCatalog} on the heap, with its versions' manifests ({@link ManifestCatalog}) and experiments
 * ({@link TrackingCatalog}), for tests, examples and
 * embedders' tests. Every operation on models, versions and manifests holds one lock, which is what makes its
 * uniqueness rules hold under concurrency and serves as every blob's lock; experiments hold a lock of their own.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class InMemoryModelCatalog implements ModelCatalog, ManifestCatalog, TrackingCatalog {

    private record ModelKey(long projectId, String name) {
    }

    private final Map<ModelKey, RegisteredModel> models = new LinkedHashMap<>();
    private final Map<Long, ModelVersion> versions = new LinkedHashMap<>();
    private final Map<Long, DeletedVersion> deleted = new LinkedHashMap<>();
    private final InMemoryManifests manifests = new InMemoryManifests();
    private final InMemoryTracking tracking = new InMemoryTracking();
    private final Map<String, String> settings = new HashMap<>();
    /** By version id: the stage of a version in one. */
    private final Map<Long, Stage> stages = new HashMap<>();
    /** By model id: alias to version id. */
    private final Map<Long, Map<String, Long>> aliases = new HashMap<>();
    private long nextModelId = 1;
    private long nextVersionId = 1;

    /** An empty catalog. */
    public InMemoryModelCatalog() {
        // nothing to set up: it fills as models are created
    }

    @Override
    public synchronized RegisteredModel createModel(long projectId, ModelName name, String description, List<Tag> tags,
                                                    String createdBy, Instant now) {
        ModelKey key = new ModelKey(projectId, name.value());
        if (models.containsKey(key)) {
            throw new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Registered model (name=" + name + ") already exists.");
        }
        RegisteredModel m = new RegisteredModel(nextModelId++, projectId, name, description, tags, createdBy, now, now);
        tracking.modelExperiment(projectId, m.id(), name, now);
        models.put(key, m);
        return m;
    }

    @Override
    public synchronized Optional<RegisteredModel> findModel(long projectId, ModelName name) {
        return Optional.ofNullable(models.get(new ModelKey(projectId, name.value())));
    }

    @Override
    public synchronized List<RegisteredModel> listModels(long projectId) {
        return models.values().stream().filter(m -> m.projectId() == projectId)
                .sorted(Comparator.comparing(m -> m.name().value())).toList();
    }

    @Override
    public synchronized Optional<RegisteredModel> updateModel(long projectId, ModelName name, String description, Instant now) {
        ModelKey key = new ModelKey(projectId, name.value());
        return Optional.ofNullable(models.computeIfPresent(key, (k, m) -> new RegisteredModel(m.id(), m.projectId(), m.name(),
                description, m.tags(), m.createdBy(), m.created(), now)));
    }

    @Override
    public synchronized Optional<List<ModelVersion>> deleteModel(long projectId, ModelName name) {
        RegisteredModel m = models.remove(new ModelKey(projectId, name.value()));
        if (m == null) {
            return Optional.empty();
        }
        aliases.remove(m.id());
        List<ModelVersion> gone = versions.values().stream().filter(v -> v.modelId() == m.id()).toList();
        gone.forEach(this::forgetVersion);
        tracking.modelDeleted(projectId, m.id()).forEach(manifests::versionDeleted);
        return Optional.of(gone);
    }

    @Override
    public synchronized ModelVersion createVersion(long projectId, ModelName model, Optional<SemanticVersion> version,
                                                   String description, List<Tag> tags, Instant now) {
        RegisteredModel m = findModel(projectId, model).orElseThrow(() -> new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST,
                "Registered model (name=" + model + ") not found"));
        List<ModelVersion> existing = listVersions(projectId, model);
        SemanticVersion semver = version.orElseGet(() -> existing.stream().map(ModelVersion::version)
                .max(Comparator.naturalOrder()).map(SemanticVersion::nextPatch).orElse(SemanticVersion.FIRST));
        if (existing.stream().anyMatch(v -> v.version().samePrecedence(semver))) { // build metadata makes no second version
            throw new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Model version " + semver + " of " + model
                    + " already exists.");
        }
        long id = nextVersionId++;
        Run run = tracking.versionRun(projectId, m.id(), m.name(), id, semver.toString(), now);
        ModelVersion v = new ModelVersion(id, projectId, m.id(), m.name(), semver, description, tags, now, now, run.runId(), "");
        versions.put(v.id(), v);
        manifests.versionCreated(v.id());
        return v;
    }

    @Override
    public synchronized Optional<ModelVersion> findVersion(long projectId, long versionId) {
        return Optional.ofNullable(versions.get(versionId)).filter(v -> v.projectId() == projectId);
    }

    @Override
    public synchronized List<ModelVersion> listVersions(long projectId, ModelName model) {
        List<ModelVersion> out = new ArrayList<>();
        for (ModelVersion v : versions.values()) {
            if (v.projectId() == projectId && v.modelName().equals(model)) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public synchronized List<ModelVersion> listVersionsOf(long projectId, Collection<ModelName> models) {
        Set<ModelName> wanted = Set.copyOf(models);
        return versions.values().stream().filter(v -> v.projectId() == projectId && wanted.contains(v.modelName()))
                .sorted(Comparator.comparingLong(ModelVersion::id)).toList();
    }

    @Override
    public synchronized Optional<ModelVersion> updateVersion(long projectId, long versionId, String description, Instant now) {
        return findVersion(projectId, versionId).map(v -> {
            ModelVersion updated = v.with(description, v.tags(), now);
            versions.put(v.id(), updated);
            return updated;
        });
    }

    @Override
    public synchronized boolean deleteVersion(long projectId, long versionId) {
        Optional<ModelVersion> v = findVersion(projectId, versionId);
        v.ifPresent(this::forgetVersion);
        return v.isPresent();
    }

    /**
     * Forgets a version and its manifest; a training run promoted to it (of another experiment than its model's) goes
     * back to being a run of its own, with the version's files as its own again, and the version's other runs go.
     */
    private void forgetVersion(ModelVersion v) {
        for (long runFiles : tracking.versionDeleted(v.projectId(), v.modelId(), v.id())) {
            manifests.versionCreated(runFiles);
            manifests.copyCurrent(v.id(), runFiles, Instant.now());
        }
        versions.remove(v.id());
        stages.remove(v.id());
        manifests.versionDeleted(v.id());
        deleted.put(v.id(), new DeletedVersion(v.projectId(), v.id()));
    }

    @Override
    public synchronized Optional<RegisteredModel> setModelTag(long projectId, ModelName name, Tag tag, Instant now) {
        return changeModelTags(projectId, name, tags -> withTag(tags, tag), now);
    }

    @Override
    public synchronized Optional<RegisteredModel> deleteModelTag(long projectId, ModelName name, String key, Instant now) {
        return changeModelTags(projectId, name, tags -> tags.stream().filter(t -> !t.key().equals(key)).toList(), now);
    }

    private Optional<RegisteredModel> changeModelTags(long projectId, ModelName name,
                                                      java.util.function.UnaryOperator<List<Tag>> change, Instant now) {
        ModelKey key = new ModelKey(projectId, name.value());
        return Optional.ofNullable(models.computeIfPresent(key, (k, m) -> new RegisteredModel(m.id(), m.projectId(), m.name(),
                m.description(), change.apply(m.tags()), m.createdBy(), m.created(), now)));
    }

    @Override
    public synchronized Optional<ModelVersion> setVersionTag(long projectId, long versionId, Tag tag, Instant now) {
        return changeVersionTags(projectId, versionId, tags -> withTag(tags, tag), now);
    }

    @Override
    public synchronized Optional<ModelVersion> deleteVersionTag(long projectId, long versionId, String key, Instant now) {
        return changeVersionTags(projectId, versionId, tags -> tags.stream().filter(t -> !t.key().equals(key)).toList(), now);
    }

    private Optional<ModelVersion> changeVersionTags(long projectId, long versionId, java.util.function.UnaryOperator<List<Tag>> change,
                                                     Instant now) {
        return findVersion(projectId, versionId).map(v -> {
            ModelVersion updated = v.with(v.description(), change.apply(v.tags()), now);
            versions.put(v.id(), updated);
            return updated;
        });
    }

    private static List<Tag> withTag(List<Tag> tags, Tag tag) {
        List<Tag> out = new ArrayList<>(tags);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).key().equals(tag.key())) {
                out.set(i, tag);
                return out;
            }
        }
        if (out.size() >= Tag.MAX_PER_ENTITY) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "at most " + Tag.MAX_PER_ENTITY + " tags");
        }
        out.add(tag);
        return out;
    }

    @Override
    public synchronized Optional<ModelVersion> transitionStage(long projectId, long versionId, Stage stage, boolean archiveExisting,
                                                               Instant now) {
        Optional<ModelVersion> v = findVersion(projectId, versionId);
        if (v.isEmpty()) {
            return v;
        }
        if (archiveExisting && (stage == Stage.STAGING || stage == Stage.PRODUCTION)) {
            for (ModelVersion other : versions.values()) {
                if (other.modelId() == v.get().modelId() && other.id() != versionId && stages.get(other.id()) == stage) {
                    stages.put(other.id(), Stage.ARCHIVED);
                    touch(other, now);
                }
            }
        }
        if (stage == Stage.NONE) {
            stages.remove(versionId);
        } else {
            stages.put(versionId, stage);
        }
        return Optional.of(touch(v.get(), now));
    }

    private ModelVersion touch(ModelVersion v, Instant now) {
        ModelVersion updated = v.with(v.description(), v.tags(), now);
        versions.put(v.id(), updated);
        return updated;
    }

    @Override
    public synchronized Map<Long, Stage> stages(long projectId, Collection<Long> versionIds) {
        Map<Long, Stage> out = new HashMap<>();
        for (Long id : versionIds) {
            ModelVersion v = versions.get(id);
            Stage s = stages.get(id);
            if (v != null && v.projectId() == projectId && s != null) {
                out.put(id, s);
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public synchronized Optional<RegisteredModel> renameModel(long projectId, ModelName name, ModelName newName, Instant now) {
        RegisteredModel m = models.get(new ModelKey(projectId, name.value()));
        if (m == null) {
            return Optional.empty();
        }
        if (!name.equals(newName) && models.containsKey(new ModelKey(projectId, newName.value()))) {
            throw new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + newName + ") already exists.");
        }
        models.remove(new ModelKey(projectId, name.value()));
        RegisteredModel renamed = new RegisteredModel(m.id(), m.projectId(), newName, m.description(), m.tags(), m.createdBy(),
                m.created(), now);
        models.put(new ModelKey(projectId, newName.value()), renamed);
        for (ModelVersion v : List.copyOf(versions.values())) {
            if (v.modelId() == m.id()) {
                versions.put(v.id(), new ModelVersion(v.id(), v.projectId(), v.modelId(), newName, v.version(), v.description(),
                        v.tags(), v.created(), v.updated(), v.runId(), v.sourcePath()));
            }
        }
        tracking.modelRenamed(projectId, m.id(), newName, now);
        return Optional.of(renamed);
    }

    @Override
    public synchronized boolean setAlias(long projectId, ModelName model, String alias, long versionId) {
        Optional<RegisteredModel> m = findModel(projectId, model);
        Optional<ModelVersion> v = findVersion(projectId, versionId);
        if (m.isEmpty() || v.isEmpty() || v.get().modelId() != m.get().id()) {
            return false;
        }
        aliases.computeIfAbsent(m.get().id(), id -> new java.util.TreeMap<>()).put(alias, versionId);
        return true;
    }

    @Override
    public synchronized boolean deleteAlias(long projectId, ModelName model, String alias) {
        Optional<RegisteredModel> m = findModel(projectId, model);
        Map<String, Long> of = m.isEmpty() ? null : aliases.get(m.get().id());
        return of != null && of.remove(alias) != null;
    }

    @Override
    public synchronized Map<Long, Map<String, Long>> aliases(long projectId, Collection<Long> modelIds) {
        Map<Long, Map<String, Long>> out = new HashMap<>();
        for (Long modelId : modelIds) {
            Map<String, Long> of = new java.util.TreeMap<>(aliases.getOrDefault(modelId, Map.of()));
            // a deleted version takes its aliases with it
            of.values().removeIf(id -> !versions.containsKey(id) || versions.get(id).projectId() != projectId);
            if (!of.isEmpty()) {
                out.put(modelId, java.util.Collections.unmodifiableMap(of));
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public synchronized List<DeletedVersion> deletedVersions(long afterVersionId, int limit) {
        return deleted.values().stream().filter(d -> d.versionId() > afterVersionId)
                .sorted(Comparator.comparingLong(DeletedVersion::versionId)).limit(limit).toList();
    }

    @Override
    public synchronized void filesRemoved(long versionId) {
        deleted.remove(versionId);
    }

    @Override
    public synchronized Optional<Manifest> manifest(long versionId) {
        return manifests.manifest(versionId);
    }

    @Override
    public synchronized Optional<ManifestFile> findFile(long versionId, FilePath path) {
        return manifests.findFile(versionId, path);
    }

    @Override
    public synchronized boolean isDirectory(long versionId, FilePath path) {
        return manifests.isDirectory(versionId, path);
    }

    @Override
    public synchronized ManifestFile putFile(long versionId, NewFile file, FileOverwrite overwrite, StorageStep place) throws IOException {
        return manifests.putFile(versionId, file, overwrite, place);
    }

    @Override
    public synchronized boolean adoptFile(long versionId, NewFile file, StorageStep place) throws IOException {
        return manifests.adoptFile(versionId, file, place);
    }

    @Override
    public synchronized boolean removeFile(long versionId, FilePath path, Instant now) {
        return manifests.removeFile(versionId, path, now);
    }

    @Override
    public synchronized Optional<Manifest> manifestAt(long versionId, long revision) {
        return manifests.manifestAt(versionId, revision);
    }

    @Override
    public synchronized void nameCommit(Revision revision, String commitId) {
        manifests.nameCommit(revision, commitId);
    }

    @Override
    public synchronized Optional<Revision> findCommit(Collection<Long> versionIds, String commitId) {
        return manifests.findCommit(versionIds, commitId);
    }

    @Override
    public synchronized int forgetHistory(Instant supersededBefore) {
        return manifests.forgetHistory(supersededBefore);
    }

    @Override
    public synchronized boolean collectBlob(Sha256 sha256, StorageStep delete) throws IOException {
        if (manifests.referenced(sha256)) {
            return false;
        }
        delete.run();
        return true;
    }

    @Override
    public synchronized void underBlobLock(Sha256 sha256, StorageStep step) throws IOException {
        step.run();
    }

    @Override
    public synchronized boolean referenced(Sha256 sha256) {
        return manifests.referenced(sha256);
    }

    @Override
    public synchronized List<StoredBlob> referencedBlobs(@Nullable Sha256 after, int limit) {
        return manifests.referencedBlobs(after, limit);
    }

    @Override
    public synchronized List<ModelVersion> versionsAfter(long afterVersionId, int limit) {
        return versions.values().stream().filter(v -> v.id() > afterVersionId).sorted(Comparator.comparingLong(ModelVersion::id))
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    @Override
    public synchronized void putSetting(String name, String value) {
        settings.put(name, value);
    }

    @Override
    public Experiment createExperiment(long projectId, String name, List<Tag> tags, Instant now) {
        return tracking.createExperiment(projectId, name, tags, now);
    }

    @Override
    public Optional<Experiment> findExperiment(long projectId, long iid) {
        return tracking.findExperiment(projectId, iid);
    }

    @Override
    public Optional<Experiment> findExperimentByName(long projectId, String name) {
        return tracking.findExperimentByName(projectId, name);
    }

    @Override
    public List<Experiment> listExperiments(long projectId) {
        return tracking.listExperiments(projectId);
    }

    @Override
    public Map<Long, List<Tag>> experimentTags(long projectId, Collection<Long> iids) {
        return tracking.experimentTags(projectId, iids);
    }

    @Override
    public Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) {
        return tracking.setExperimentDeleted(projectId, iid, deleted, now);
    }

    @Override
    public Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) {
        return tracking.renameExperiment(projectId, iid, newName, now);
    }

    @Override
    public boolean setExperimentTag(long projectId, long iid, Tag tag, Instant now) {
        return tracking.setExperimentTag(projectId, iid, tag, now);
    }

    @Override
    public boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) {
        return tracking.deleteExperimentTag(projectId, iid, key, now);
    }

    @Override
    public synchronized Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId,
                                                long startTime, List<Tag> tags, Instant now) {
        Optional<Run> run = tracking.createRun(projectId, experimentIid, runId, name, userId, startTime, tags, now);
        run.ifPresent(r -> manifests.versionCreated(r.filesKey()));
        return run;
    }

    @Override
    public synchronized Optional<LoggedModel> createLoggedModel(long projectId, long experimentIid, String modelId, String name,
                                                                String sourceRunId, String modelType, List<Param> params,
                                                                List<Tag> tags, Instant now) {
        Optional<LoggedModel> m = tracking.createLoggedModel(projectId, experimentIid, modelId, name, sourceRunId, modelType, params,
                tags, now);
        m.ifPresent(made -> manifests.versionCreated(made.files().filesKey()));
        return m;
    }

    @Override
    public Optional<LoggedModel> findLoggedModel(long projectId, String modelId) {
        return tracking.findLoggedModel(projectId, modelId);
    }

    @Override
    public List<LoggedModel> listLoggedModels(long projectId, Collection<Long> experimentIids) {
        return tracking.listLoggedModels(projectId, experimentIids);
    }

    @Override
    public List<String> loggedModelsOf(long projectId, String runId) {
        return tracking.loggedModelsOf(projectId, runId);
    }

    @Override
    public Optional<LoggedModel> setLoggedModelStatus(long projectId, String modelId, String status, Instant now) {
        return tracking.setLoggedModelStatus(projectId, modelId, status, now);
    }

    @Override
    public synchronized int purgeExperiments(Instant deletedBefore) {
        InMemoryTracking.Purge purge = tracking.purgeExperiments(deletedBefore);
        purge.runFiles().forEach(manifests::versionDeleted);
        return purge.experiments();
    }

    @Override
    public Optional<Long> runFiles(long projectId, long iid) {
        return tracking.runFiles(projectId, iid);
    }

    @Override
    public synchronized Optional<ModelVersion> promoteRun(long projectId, String runId, long versionId, String sourcePath, Instant now) {
        Optional<ModelVersion> found = findVersion(projectId, versionId);
        if (found.isEmpty()) {
            return found;
        }
        ModelVersion v = found.get();
        Run run = tracking.findRun(projectId, runId).orElseThrow(() -> TrackingRefusals.runNotFound(runId));
        if (run.deleted().isPresent()) {
            throw TrackingRefusals.runDeleted(runId);
        }
        if (manifests.manifest(versionId).map(m -> !m.files().isEmpty()).orElse(false)) {
            throw TrackingRefusals.versionHasFiles(versionId);
        }
        manifests.copyCurrent(run.filesKey(), versionId, now);
        String versionRun = v.runId();
        if (run.versionId().isEmpty() && !tracking.keepsALoggedModel(projectId, runId)
                && !tracking.ofAnotherModel(projectId, runId, v.modelId())) {
            manifests.versionDeleted(run.filesKey());
            versionRun = tracking.link(projectId, runId, versionId).runId();
        }
        ModelVersion promoted = new ModelVersion(v.id(), v.projectId(), v.modelId(), v.modelName(), v.version(), v.description(),
                v.tags(), v.created(), now, versionRun, sourcePath);
        versions.put(v.id(), promoted);
        return Optional.of(promoted);
    }

    @Override
    public Optional<Run> findRun(long projectId, String runId) {
        return tracking.findRun(projectId, runId);
    }

    @Override
    public List<Run> listRuns(long projectId, Collection<Long> experimentIids) {
        return tracking.listRuns(projectId, experimentIids);
    }

    @Override
    public Optional<Run> findRunByIid(long projectId, long iid) {
        return tracking.findRunByIid(projectId, iid);
    }

    @Override
    public Optional<Run> updateRun(long projectId, String runId, RunUpdate update) {
        return tracking.updateRun(projectId, runId, update);
    }

    @Override
    public Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) {
        return tracking.setRunDeleted(projectId, runId, deleted, now);
    }

    @Override
    public boolean logBatch(long projectId, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        return tracking.logBatch(projectId, runId, metrics, params, tags);
    }

    @Override
    public boolean deleteRunTag(long projectId, String runId, String key) {
        return tracking.deleteRunTag(projectId, runId, key);
    }

    @Override
    public List<Metric> metricHistory(long projectId, String runId, String key, int offset, int limit) {
        return tracking.metricHistory(projectId, runId, key, offset, limit);
    }
}
