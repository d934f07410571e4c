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
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingCatalog;

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
    private long nextId = 1;

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
        return experiments.values().stream().filter(e -> e.projectId() == projectId).toList();
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
}
