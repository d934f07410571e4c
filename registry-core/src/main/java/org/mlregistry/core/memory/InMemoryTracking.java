package org.mlregistry.core.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.TrackingRefusals;

/**
 * The experiments and runs of {@link InMemoryModelCatalog}, on the heap, as {@link TrackingCatalog} says (the catalog
 * delegates to it, and promotes runs itself since that moves manifests): every operation holds this object's lock, taken
 * after the catalog's where both are.
 *
 * <p>Threading: safe for concurrent use.
 */
final class InMemoryTracking {

    private record Key(long projectId, long iid) {
    }

    private final Map<Key, Experiment> experiments = new TreeMap<>((a, b) -> a.projectId() != b.projectId()
            ? Long.compare(a.projectId(), b.projectId()) : Long.compare(a.iid(), b.iid()));
    private final Map<Long, Long> lastIid = new HashMap<>();
    private final Map<Long, Long> lastRunIid = new HashMap<>();
    private long nextId = 1;

    /** A run as kept here: its fields, and every point of every metric in the order logged. */
    private static final class StoredRun {
        Run run;
        final Map<String, List<Metric>> history = new TreeMap<>();

        StoredRun(Run run) {
            this.run = run;
        }
    }

    private record RunKey(long projectId, String runId) {
    }

    private final Map<RunKey, StoredRun> runs = new HashMap<>();
    /** By experiment: the registered model whose experiment it is. */
    private final Map<Key, Long> modelOfExperiment = new HashMap<>();
    /** By registered model id: its experiment's iid. */
    private final Map<Long, Long> experimentOfModel = new HashMap<>();

    /** A logged model as kept here: what its run does not hold. */
    private static final class Logged {
        final String runId;
        final String sourceRunId;
        final String modelType;
        String status = "LOGGED_MODEL_PENDING";

        Logged(String runId, String sourceRunId, String modelType) {
            this.runId = runId;
            this.sourceRunId = sourceRunId;
            this.modelType = modelType;
        }
    }

    private record LoggedKey(long projectId, String modelId) {
    }

    /** The logged models, in the order made; their runs are in {@link #runs} and in {@link #filesOfLogged}. */
    private final Map<LoggedKey, Logged> logged = new java.util.LinkedHashMap<>();
    private final java.util.Set<RunKey> filesOfLogged = new java.util.HashSet<>();

    synchronized Optional<LoggedModel> createLoggedModel(long projectId, long experimentIid, String modelId, String name,
                                                         String sourceRunId, String modelType, List<Param> params, List<Tag> tags,
                                                         Instant now) {
        String runId = Run.newRunId();
        Optional<Run> run = createRun(projectId, experimentIid, runId, name, "", now.toEpochMilli(), tags, now);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        logBatch(projectId, runId, List.of(), params, List.of());
        logged.put(new LoggedKey(projectId, modelId), new Logged(runId, sourceRunId, modelType));
        filesOfLogged.add(new RunKey(projectId, runId));
        return findLoggedModel(projectId, modelId);
    }

    synchronized Optional<LoggedModel> findLoggedModel(long projectId, String modelId) {
        Logged l = logged.get(new LoggedKey(projectId, modelId));
        return l == null ? Optional.empty() : findRun(projectId, l.runId).map(r -> new LoggedModel(modelId, r, l.sourceRunId,
                l.modelType, l.status));
    }

    synchronized List<LoggedModel> listLoggedModels(long projectId, java.util.Collection<Long> experimentIids) {
        List<LoggedModel> out = new ArrayList<>();
        for (LoggedKey k : logged.keySet()) {
            if (k.projectId() == projectId) {
                findLoggedModel(projectId, k.modelId()).filter(m -> experimentIids.contains(m.files().experimentIid())).ifPresent(out::add);
            }
        }
        return out;
    }

    synchronized Optional<LoggedModel> setLoggedModelStatus(long projectId, String modelId, String status, Instant now) {
        Logged l = logged.get(new LoggedKey(projectId, modelId));
        if (l == null) {
            return Optional.empty();
        }
        l.status = status;
        long millis = now.toEpochMilli();
        changeRun(projectId, l.runId, r -> r.withEndTime(Optional.of(millis)));
        return findLoggedModel(projectId, modelId);
    }

    synchronized List<String> loggedModelsOf(long projectId, String runId) {
        List<String> out = new ArrayList<>();
        logged.forEach((k, l) -> {
            if (k.projectId() == projectId && l.sourceRunId.equals(runId)
                    && findRun(projectId, l.runId).filter(r -> r.deleted().isEmpty()).isPresent()) {
                out.add(k.modelId());
            }
        });
        return out;
    }

    /** Whether the run keeps a logged model's files: it lends them to a version rather than becoming its run. */
    synchronized boolean keepsALoggedModel(long projectId, String runId) {
        return filesOfLogged.contains(new RunKey(projectId, runId));
    }

    /**
     * The iid of the model's experiment ({@link Experiment#ofModel}), made when it has none: part of creating a model or a
     * version. An experiment someone made under that name stays theirs; the model's takes the name with its id.
     */
    synchronized long modelExperiment(long projectId, long modelId, ModelName model, Instant now) {
        Long known = experimentOfModel.get(modelId);
        if (known != null) {
            return known;
        }
        Experiment e = createExperiment(projectId, freeName(projectId, model, modelId), List.of(), now);
        modelOfExperiment.put(new Key(projectId, e.iid()), modelId);
        experimentOfModel.put(modelId, e.iid());
        return e.iid();
    }

    private String freeName(long projectId, ModelName model, long modelId) {
        for (int attempt = 0; ; attempt++) {
            String name = Experiment.ofModel(model, modelId, attempt);
            Optional<Experiment> holder = findExperimentByName(projectId, name);
            if (holder.isEmpty() || Long.valueOf(modelId).equals(modelOfExperiment.get(new Key(projectId, holder.get().iid())))) {
                return name;
            }
        }
    }

    /** Whether the run is of another model's experiment than {@code modelId}'s: it goes with that model, so it only lends. */
    synchronized boolean ofAnotherModel(long projectId, String runId, long modelId) {
        Optional<Run> r = findRun(projectId, runId);
        Long owner = r.isEmpty() ? null : modelOfExperiment.get(new Key(projectId, r.get().experimentIid()));
        return owner != null && owner != modelId;
    }

    /** A finished run for the version just created, in its model's experiment, named as the version: part of creating it. */
    synchronized Run versionRun(long projectId, long modelId, ModelName model, long versionId, String name, Instant now) {
        long experimentIid = modelExperiment(projectId, modelId, model, now);
        long iid = lastRunIid.merge(projectId, 1L, Long::sum);
        long millis = now.toEpochMilli();
        Run run = new Run(nextId++, projectId, iid, Run.newRunId(), experimentIid, name, "", "FINISHED", millis, Optional.of(millis),
                Optional.empty(), List.of(), List.of(), List.of(), Optional.of(versionId));
        runs.put(new RunKey(projectId, run.runId()), new StoredRun(run));
        return run;
    }

    /** Renames the model's experiment with the model, where the new name is free. */
    synchronized void modelRenamed(long projectId, long modelId, ModelName newName, Instant now) {
        Long iid = experimentOfModel.get(modelId);
        String name = freeName(projectId, newName, modelId);
        if (iid != null) {
            change(projectId, iid, e -> new Experiment(e.id(), projectId, iid, name, e.tags(), e.created(), now, e.deleted()));
        }
    }

    /** Forgets the model's experiment and its runs; the keys of those runs' own manifests, to be forgotten with them. */
    synchronized List<Long> modelDeleted(long projectId, long modelId) {
        Long iid = experimentOfModel.remove(modelId);
        if (iid == null) {
            return List.of();
        }
        modelOfExperiment.remove(new Key(projectId, iid));
        experiments.remove(new Key(projectId, iid));
        List<Long> ownFiles = new ArrayList<>();
        runs.values().removeIf(r -> {
            boolean gone = r.run.projectId() == projectId && r.run.experimentIid() == iid;
            if (gone && r.run.versionId().isEmpty()) {
                ownFiles.add(r.run.filesKey());
            }
            if (gone) {
                filesOfLogged.remove(new RunKey(projectId, r.run.runId()));
            }
            return gone;
        });
        logged.entrySet().removeIf(e -> e.getKey().projectId() == projectId && !runs.containsKey(new RunKey(projectId, e.getValue().runId)));
        return ownFiles;
    }

    /** What purging deleted experiments took: how many, and the keys of their runs' manifests, to be forgotten with them. */
    record Purge(int experiments, List<Long> runFiles) {
    }

    /** {@link TrackingCatalog#purgeExperiments}. */
    synchronized Purge purgeExperiments(Instant deletedBefore) {
        List<Long> ownFiles = new ArrayList<>();
        int purged = 0;
        for (Experiment e : List.copyOf(experiments.values())) {
            Key key = new Key(e.projectId(), e.iid());
            boolean versions = runs.values().stream().anyMatch(r -> r.run.projectId() == e.projectId()
                    && r.run.experimentIid() == e.iid() && r.run.versionId().isPresent());
            if (e.deleted().filter(d -> d.isBefore(deletedBefore)).isEmpty() || modelOfExperiment.containsKey(key) || versions) {
                continue;
            }
            purged++;
            experiments.remove(key);
            runs.values().removeIf(r -> {
                boolean gone = r.run.projectId() == e.projectId() && r.run.experimentIid() == e.iid();
                if (gone) {
                    ownFiles.add(r.run.filesKey());
                    filesOfLogged.remove(new RunKey(e.projectId(), r.run.runId()));
                }
                return gone;
            });
        }
        logged.entrySet().removeIf(l -> !runs.containsKey(new RunKey(l.getKey().projectId(), l.getValue().runId)));
        return new Purge(purged, ownFiles);
    }

    /**
     * Forgets the runs of the version in its model's experiment; unlinks the others (training runs promoted to it, which
     * MLflow never deletes with a version): the keys of their own manifests again, to be given the version's files.
     */
    synchronized List<Long> versionDeleted(long projectId, long modelId, long versionId) {
        Long modelExperiment = experimentOfModel.get(modelId);
        List<Long> unlinked = new ArrayList<>();
        runs.values().removeIf(r -> {
            Run run = r.run;
            if (run.projectId() != projectId || !run.versionId().equals(Optional.of(versionId))) {
                return false;
            }
            if (modelExperiment != null && run.experimentIid() == modelExperiment) {
                return true;
            }
            r.run = run.withVersionId(Optional.empty());
            unlinked.add(r.run.filesKey());
            return false;
        });
        return unlinked;
    }

    /** Makes the run the version's, in place of the run the version was created with; the run as it is now. */
    synchronized Run link(long projectId, String runId, long versionId) {
        runs.values().removeIf(r -> r.run.projectId() == projectId && r.run.versionId().equals(Optional.of(versionId)));
        return changeRun(projectId, runId, r -> r.withVersionId(Optional.of(versionId)))
                .orElseThrow(() -> TrackingRefusals.runNotFound(runId));
    }

    public synchronized Optional<Long> runFiles(long projectId, long iid) {
        return findRunByIid(projectId, iid).filter(r -> r.deleted().isEmpty()).map(Run::filesKey);
    }

    public synchronized Experiment createExperiment(long projectId, String name, List<Tag> tags, Instant now) {
        if (findExperimentByName(projectId, name).isPresent()) {
            throw alreadyExists(name);
        }
        long iid = lastIid.merge(projectId, 1L, Long::sum);
        Map<String, Tag> byKey = new TreeMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        Experiment e = new Experiment(nextId++, projectId, iid, name, List.copyOf(byKey.values()), now, now, Optional.empty());
        experiments.put(new Key(projectId, iid), e);
        return e;
    }

    static RegistryException alreadyExists(String name) {
        return new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
    }

    public synchronized Optional<Experiment> findExperiment(long projectId, long iid) {
        return Optional.ofNullable(experiments.get(new Key(projectId, iid)));
    }

    public synchronized Optional<Experiment> findExperimentByName(long projectId, String name) {
        return experiments.values().stream().filter(e -> e.projectId() == projectId && e.name().equals(name)).findFirst();
    }

    public synchronized List<Experiment> listExperiments(long projectId) {
        return experiments.values().stream().filter(e -> e.projectId() == projectId)
                .map(e -> new Experiment(e.id(), projectId, e.iid(), e.name(), List.of(), e.created(), e.updated(), e.deleted())).toList();
    }

    public synchronized Map<Long, List<Tag>> experimentTags(long projectId, java.util.Collection<Long> iids) {
        Map<Long, List<Tag>> out = new HashMap<>();
        for (Long iid : iids) {
            Experiment e = experiments.get(new Key(projectId, iid));
            if (e != null && !e.tags().isEmpty()) {
                out.put(iid, e.tags());
            }
        }
        return out;
    }

    public synchronized Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) {
        if (deleted) {
            notModels(projectId, iid);
        }
        // MLflow's store deletes an experiment's runs with it, and restores them all with it
        for (StoredRun r : runs.values()) {
            Run run = r.run;
            if (run.projectId() == projectId && run.experimentIid() == iid) {
                r.run = run.withDeleted(deleted, now);
            }
        }
        return change(projectId, iid, e -> new Experiment(e.id(), projectId, iid, e.name(), e.tags(), e.created(), now,
                deleted ? Optional.of(e.deleted().orElse(now)) : Optional.empty()));
    }

    public synchronized Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) {
        notModels(projectId, iid);
        Optional<Experiment> taken = findExperimentByName(projectId, newName);
        if (taken.isPresent() && taken.get().iid() != iid) {
            throw alreadyExists(newName);
        }
        return change(projectId, iid, e -> new Experiment(e.id(), projectId, iid, newName, e.tags(), e.created(), now, e.deleted()));
    }

    public synchronized boolean setExperimentTag(long projectId, long iid, Tag tag, Instant now) {
        return change(projectId, iid, e -> {
            Map<String, Tag> byKey = new TreeMap<>();
            e.tags().forEach(t -> byKey.put(t.key(), t));
            if (!byKey.containsKey(tag.key()) && byKey.size() >= Tag.MAX_PER_ENTITY) {
                throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "at most " + Tag.MAX_PER_ENTITY + " tags");
            }
            byKey.put(tag.key(), tag);
            return new Experiment(e.id(), projectId, iid, e.name(), new ArrayList<>(byKey.values()), e.created(), now, e.deleted());
        }).isPresent();
    }

    public synchronized boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) {
        Optional<Experiment> e = findExperiment(projectId, iid);
        if (e.isEmpty() || e.get().tags().stream().noneMatch(t -> t.key().equals(key))) {
            return false;
        }
        change(projectId, iid, x -> new Experiment(x.id(), projectId, iid, x.name(),
                x.tags().stream().filter(t -> !t.key().equals(key)).toList(), x.created(), now, x.deleted()));
        return true;
    }

    private void notModels(long projectId, long iid) {
        if (modelOfExperiment.containsKey(new Key(projectId, iid))) {
            throw TrackingRefusals.modelExperiment();
        }
    }

    private Optional<Experiment> change(long projectId, long iid, java.util.function.UnaryOperator<Experiment> how) {
        Key key = new Key(projectId, iid);
        Experiment e = experiments.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Experiment changed = how.apply(e);
        experiments.put(key, changed);
        return Optional.of(changed);
    }

    public synchronized Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId,
                                               long startTime, List<Tag> tags, Instant now) {
        if (findExperiment(projectId, experimentIid).isEmpty()) {
            return Optional.empty();
        }
        long iid = lastRunIid.merge(projectId, 1L, Long::sum);
        Map<String, Tag> byKey = new TreeMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        Run run = new Run(nextId++, projectId, iid, runId, experimentIid, name, userId, "RUNNING", startTime, Optional.empty(),
                Optional.empty(), List.of(), List.of(), List.copyOf(byKey.values()), Optional.empty());
        runs.put(new RunKey(projectId, runId), new StoredRun(run));
        return Optional.of(run);
    }

    public synchronized Optional<Run> findRun(long projectId, String runId) {
        return Optional.ofNullable(runs.get(new RunKey(projectId, runId))).map(r -> r.run);
    }

    public synchronized List<Run> listRuns(long projectId, java.util.Collection<Long> experimentIids) {
        return runs.values().stream().map(r -> r.run)
                .filter(r -> r.projectId() == projectId && experimentIids.contains(r.experimentIid()))
                .filter(r -> !filesOfLogged.contains(new RunKey(projectId, r.runId())))
                .sorted(java.util.Comparator.comparingLong(Run::iid)).toList();
    }

    public synchronized Optional<Run> findRunByIid(long projectId, long iid) {
        return runs.values().stream().map(r -> r.run).filter(r -> r.projectId() == projectId && r.iid() == iid).findFirst();
    }

    public synchronized Optional<Run> updateRun(long projectId, String runId, TrackingCatalog.RunUpdate update) {
        return changeRun(projectId, runId, r -> new Run(r.id(), projectId, r.iid(), runId, r.experimentIid(), update.name().orElse(r.name()),
                r.userId(), update.status(), r.startTime(), update.endTime().or(r::endTime), r.deleted(), r.metrics(), r.params(),
                r.tags(), r.versionId()));
    }

    public synchronized Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) {
        return changeRun(projectId, runId, r -> r.withDeleted(deleted, now));
    }

    public synchronized boolean logBatch(long projectId, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        StoredRun stored = runs.get(new RunKey(projectId, runId));
        if (stored == null) {
            return false;
        }
        Run r = stored.run;
        Map<String, Param> paramsByKey = new TreeMap<>();
        r.params().forEach(p -> paramsByKey.put(p.key(), p));
        for (Param p : params) {
            Param old = paramsByKey.get(p.key());
            if (old != null && !old.value().equals(p.value())) {
                throw TrackingRefusals.paramChanged(runId, old, p);
            }
            paramsByKey.put(p.key(), p);
        }
        Map<String, Tag> tagsByKey = new TreeMap<>();
        r.tags().forEach(t -> tagsByKey.put(t.key(), t));
        tags.forEach(t -> tagsByKey.put(t.key(), t));
        if (tagsByKey.size() > TrackingRefusals.MAX_RUN_TAGS) {
            throw TrackingRefusals.tooManyTags();
        }
        Map<String, Metric> latest = new TreeMap<>();
        r.metrics().forEach(m -> latest.put(m.key(), m));
        for (Metric m : metrics) {
            stored.history.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
            latest.merge(m.key(), m, (a, b) -> Metric.newer(b, a) ? b : a);
        }
        stored.run = new Run(r.id(), projectId, r.iid(), runId, r.experimentIid(), r.name(), r.userId(), r.status(), r.startTime(),
                r.endTime(), r.deleted(), List.copyOf(latest.values()), List.copyOf(paramsByKey.values()), List.copyOf(tagsByKey.values()),
                r.versionId());
        return true;
    }

    public synchronized boolean deleteRunTag(long projectId, String runId, String key) {
        Optional<Run> r = findRun(projectId, runId);
        if (r.isEmpty() || r.get().tags().stream().noneMatch(t -> t.key().equals(key))) {
            return false;
        }
        changeRun(projectId, runId, x -> new Run(x.id(), projectId, x.iid(), runId, x.experimentIid(), x.name(), x.userId(), x.status(),
                x.startTime(), x.endTime(), x.deleted(), x.metrics(), x.params(),
                x.tags().stream().filter(t -> !t.key().equals(key)).toList(), x.versionId()));
        return true;
    }

    public synchronized List<Metric> metricHistory(long projectId, String runId, String key, int offset, int limit) {
        StoredRun stored = runs.get(new RunKey(projectId, runId));
        List<Metric> all = stored == null ? List.of() : stored.history.getOrDefault(key, List.of());
        return List.copyOf(all.subList(Math.min(offset, all.size()), (int) Math.min((long) offset + limit, all.size())));
    }

    private Optional<Run> changeRun(long projectId, String runId, java.util.function.UnaryOperator<Run> how) {
        StoredRun stored = runs.get(new RunKey(projectId, runId));
        if (stored == null) {
            return Optional.empty();
        }
        stored.run = how.apply(stored.run);
        return Optional.of(stored.run);
    }
}
