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
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.TrackingRefusals;

/**
 * The experiments of {@link InMemoryModelCatalog}, on the heap: every operation holds this object's lock.
 *
 * <p>Threading: safe for concurrent use.
 */
final class InMemoryTracking implements TrackingCatalog {

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

    @Override
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

    @Override
    public synchronized Optional<Experiment> findExperiment(long projectId, long iid) {
        return Optional.ofNullable(experiments.get(new Key(projectId, iid)));
    }

    @Override
    public synchronized Optional<Experiment> findExperimentByName(long projectId, String name) {
        return experiments.values().stream().filter(e -> e.projectId() == projectId && e.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<Experiment> listExperiments(long projectId) {
        return experiments.values().stream().filter(e -> e.projectId() == projectId)
                .map(e -> new Experiment(e.id(), projectId, e.iid(), e.name(), List.of(), e.created(), e.updated(), e.deleted())).toList();
    }

    @Override
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

    @Override
    public synchronized Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) {
        return change(projectId, iid, e -> new Experiment(e.id(), projectId, iid, e.name(), e.tags(), e.created(), now,
                deleted ? Optional.of(e.deleted().orElse(now)) : Optional.empty()));
    }

    @Override
    public synchronized Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) {
        Optional<Experiment> taken = findExperimentByName(projectId, newName);
        if (taken.isPresent() && taken.get().iid() != iid) {
            throw alreadyExists(newName);
        }
        return change(projectId, iid, e -> new Experiment(e.id(), projectId, iid, newName, e.tags(), e.created(), now, e.deleted()));
    }

    @Override
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

    @Override
    public synchronized boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) {
        Optional<Experiment> e = findExperiment(projectId, iid);
        if (e.isEmpty() || e.get().tags().stream().noneMatch(t -> t.key().equals(key))) {
            return false;
        }
        change(projectId, iid, x -> new Experiment(x.id(), projectId, iid, x.name(),
                x.tags().stream().filter(t -> !t.key().equals(key)).toList(), x.created(), now, x.deleted()));
        return true;
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

    @Override
    public synchronized Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId,
                                               long startTime, List<Tag> tags, Instant now) {
        if (findExperiment(projectId, experimentIid).isEmpty()) {
            return Optional.empty();
        }
        long iid = lastRunIid.merge(projectId, 1L, Long::sum);
        Map<String, Tag> byKey = new TreeMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        Run run = new Run(nextId++, projectId, iid, runId, experimentIid, name, userId, "RUNNING", startTime, Optional.empty(),
                Optional.empty(), List.of(), List.of(), List.copyOf(byKey.values()));
        runs.put(new RunKey(projectId, runId), new StoredRun(run));
        return Optional.of(run);
    }

    @Override
    public synchronized Optional<Run> findRun(long projectId, String runId) {
        return Optional.ofNullable(runs.get(new RunKey(projectId, runId))).map(r -> r.run);
    }

    @Override
    public synchronized List<Run> listRuns(long projectId, java.util.Collection<Long> experimentIids) {
        return runs.values().stream().map(r -> r.run)
                .filter(r -> r.projectId() == projectId && experimentIids.contains(r.experimentIid()))
                .sorted(java.util.Comparator.comparingLong(Run::iid)).toList();
    }

    @Override
    public synchronized Optional<Run> findRunByIid(long projectId, long iid) {
        return runs.values().stream().map(r -> r.run).filter(r -> r.projectId() == projectId && r.iid() == iid).findFirst();
    }

    @Override
    public synchronized Optional<Run> updateRun(long projectId, String runId, RunUpdate update) {
        return changeRun(projectId, runId, r -> new Run(r.id(), projectId, r.iid(), runId, r.experimentIid(), update.name().orElse(r.name()),
                r.userId(), update.status(), r.startTime(), update.endTime().or(r::endTime), r.deleted(), r.metrics(), r.params(),
                r.tags()));
    }

    @Override
    public synchronized Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) {
        return changeRun(projectId, runId, r -> new Run(r.id(), projectId, r.iid(), runId, r.experimentIid(), r.name(), r.userId(),
                r.status(), r.startTime(), r.endTime(), deleted ? Optional.of(r.deleted().orElse(now)) : Optional.empty(), r.metrics(),
                r.params(), r.tags()));
    }

    @Override
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
                r.endTime(), r.deleted(), List.copyOf(latest.values()), List.copyOf(paramsByKey.values()), List.copyOf(tagsByKey.values()));
        return true;
    }

    @Override
    public synchronized boolean deleteRunTag(long projectId, String runId, String key) {
        Optional<Run> r = findRun(projectId, runId);
        if (r.isEmpty() || r.get().tags().stream().noneMatch(t -> t.key().equals(key))) {
            return false;
        }
        changeRun(projectId, runId, x -> new Run(x.id(), projectId, x.iid(), runId, x.experimentIid(), x.name(), x.userId(), x.status(),
                x.startTime(), x.endTime(), x.deleted(), x.metrics(), x.params(),
                x.tags().stream().filter(t -> !t.key().equals(key)).toList()));
        return true;
    }

    @Override
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
