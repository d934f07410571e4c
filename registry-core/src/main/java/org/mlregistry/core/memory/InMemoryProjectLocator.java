package org.mlregistry.core.memory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
    private final List<Project> ordered;

    /**
     * @throws DuplicateEntryException when two projects share an id or a path (compared case-insensitively)
     */
    public InMemoryProjectLocator(List<Project> projects) {
        Map<Long, Project> ids = new HashMap<>();
        Map<String, Project> paths = new HashMap<>();
        for (int i = 0; i < projects.size(); i++) {
            Project p = projects.get(i);
            if (ids.put(p.id(), p) != null) {
                throw new DuplicateEntryException(i, "id");
            }
            if (paths.put(p.fullPath().toLowerCase(Locale.ROOT), p) != null) {
                throw new DuplicateEntryException(i, "path");
            }
        }
        this.byId = Map.copyOf(ids);
        this.byPath = Map.copyOf(paths);
        this.ordered = projects.stream().sorted(Comparator.comparing(Project::fullPath, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    @Override
    public Optional<Project> find(ProjectRef ref) {
        String path = ref.path();
        return Optional.ofNullable(path == null ? byId.get(ref.id()) : byPath.get(path));
    }

    /** All of them, by path. */
    @Override
    public List<Project> list(int limit) {
        return ordered.size() <= limit ? ordered : ordered.subList(0, limit);
    }
}
