package org.mlregistry.core.memory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ProjectLocator;

/**
 * A {@link ProjectLocator} over a fixed list of projects, indexed by id and by lower-cased path.
 *
 * <p>Threading: immutable, safe for concurrent use.
 */
public final class InMemoryProjectLocator implements ProjectLocator {

    private final Map<Long, Project> byId;
    private final Map<String, Project> byPath;

    /**
     * @throws IllegalArgumentException when two projects share an id or a path
     */
    public InMemoryProjectLocator(Collection<Project> projects) {
        Map<Long, Project> ids = new HashMap<>();
        Map<String, Project> paths = new HashMap<>();
        for (Project p : projects) {
            if (ids.put(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate project id " + p.id());
            }
            if (paths.put(p.fullPath().toLowerCase(Locale.ROOT), p) != null) {
                throw new IllegalArgumentException("duplicate project path " + p.fullPath());
            }
        }
        this.byId = Map.copyOf(ids);
        this.byPath = Map.copyOf(paths);
    }

    @Override
    public Optional<Project> find(ProjectRef ref) {
        return Optional.ofNullable(ref.isId() ? byId.get(ref.id()) : byPath.get(ref.path()));
    }
}
