package org.mlregistry.core.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;

/**
 * Finds the project a request names. The registry asks it once per request, before any permission
 * check, so that missing and hidden projects cost the same work and look the same from outside.
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface ProjectLocator {

    /**
     * Returns the project that {@code ref} names: by id, or by full path compared case-insensitively.
     *
     * @return the project, or empty when none exists
     * @throws IOException when the backing source cannot be read
     */
    Optional<Project> find(ProjectRef ref) throws IOException;

    /**
     * Lists the projects this source knows, for a start page that shows a visitor the ones they may see; the registry
     * filters them by its permission rules. A source that cannot enumerate its projects (or has too many to) returns
     * an empty list, the default: visitors then reach a project by its path.
     *
     * @return at most {@code limit} projects, in a stable order
     * @throws IOException when the backing source cannot be read
     */
    default List<Project> list(int limit) throws IOException {
        return List.of();
    }
}
