package org.mlregistry.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the registry knows of a project to decide who may read or write its model files.
 *
 * @param id the numeric project id (also the storage directory name)
 * @param fullPath the namespaced path ({@code group/sub/project}) in its canonical case
 * @param visibility who may see the project at all
 * @param members user name to role
 * @param jobTokenAllowlist ids of projects whose CI job tokens may act on this project
 * @param fileOverwrite what an upload over an existing file does here, or {@code null} for the registry's
 *     default
 * @param hubNamespace the namespace of this project's models for Hugging Face clients ({@code <namespace>/<model>}),
 *     or {@code null} for {@code p<id>}; see {@link #hubNamespace()}
 */
public record Project(long id, String fullPath, Visibility visibility, Map<String, Role> members,
                      Set<Long> jobTokenAllowlist, @Nullable FileOverwrite fileOverwrite, @Nullable String hubNamespace) {

    public Project {
        if (id < 0) {
            throw new IllegalArgumentException("project id must not be negative");
        }
        ProjectRef.ofPath(fullPath); // validates
        Objects.requireNonNull(visibility, "visibility");
        members = Map.copyOf(members);
        jobTokenAllowlist = Set.copyOf(jobTokenAllowlist);
        // "api" would make {E}/api/models/... ambiguous with a model called "models"
        if (hubNamespace != null && (!HubRepoId.isValidPart(hubNamespace) || hubNamespace.equals("api"))) {
            throw new IllegalArgumentException("a Hugging Face namespace is ASCII letters, digits, '_', '-' and '.', "
                    + "without '--' or '..', not starting or ending with '-' or '.', and not 'api'");
        }
    }

    /** A project with the default Hugging Face namespace. */
    public Project(long id, String fullPath, Visibility visibility, Map<String, Role> members, Set<Long> jobTokenAllowlist,
                   @Nullable FileOverwrite fileOverwrite) {
        this(id, fullPath, visibility, members, jobTokenAllowlist, fileOverwrite, null);
    }

    /** A project that follows the registry's overwrite policy. */
    public Project(long id, String fullPath, Visibility visibility, Map<String, Role> members, Set<Long> jobTokenAllowlist) {
        this(id, fullPath, visibility, members, jobTokenAllowlist, null);
    }

    /** A project with no members and an empty job-token allowlist. */
    public static Project of(long id, String fullPath, Visibility visibility) {
        return new Project(id, fullPath, visibility, Map.of(), Set.of());
    }

    /** The policy for uploads over existing files here: this project's own, else {@code registryDefault}. */
    public FileOverwrite fileOverwriteOr(FileOverwrite registryDefault) {
        return fileOverwrite == null ? registryDefault : fileOverwrite;
    }

    /**
     * The namespace Hugging Face clients name this project's models with: the configured one, else
     * {@code p<id>}, so that two projects never share a client cache entry.
     */
    @Override
    public String hubNamespace() {
        return hubNamespace == null ? "p" + id : hubNamespace;
    }

    /** The role of {@code user}, if a member. */
    public Optional<Role> roleOf(String user) {
        return Optional.ofNullable(members.get(user));
    }
}
