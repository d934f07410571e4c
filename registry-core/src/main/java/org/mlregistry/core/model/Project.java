package org.mlregistry.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the registry knows of a project to decide who may read or write its model files.
 *
 * @param id the numeric project id (also the storage directory name)
 * @param fullPath the namespaced path ({@code group/sub/project}) in its canonical case
 * @param visibility who may see the project at all
 * @param members user name to role
 * @param jobTokenAllowlist ids of projects whose CI job tokens may act on this project
 */
public record Project(long id, String fullPath, Visibility visibility, Map<String, Role> members,
                      Set<Long> jobTokenAllowlist) {

    public Project {
        if (id < 0) {
            throw new IllegalArgumentException("project id must not be negative");
        }
        ProjectRef.ofPath(fullPath); // validates
        Objects.requireNonNull(visibility, "visibility");
        members = Map.copyOf(members);
        jobTokenAllowlist = Set.copyOf(jobTokenAllowlist);
    }

    /** A project with no members and an empty job-token allowlist. */
    public static Project of(long id, String fullPath, Visibility visibility) {
        return new Project(id, fullPath, visibility, Map.of(), Set.of());
    }

    /** The role of {@code user}, if a member. */
    public Optional<Role> roleOf(String user) {
        return Optional.ofNullable(members.get(user));
    }
}
