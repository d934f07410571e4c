package org.mlregistry.core;

/**
 * What a caller wants to do with a project: read its models and files (a read scope, and membership where the
 * project is not public), change them (the {@code api} scope and developer or above), or remove whole packages
 * (GitLab's {@code destroy_package}: the {@code api} scope and maintainer or above; never a deploy token). See
 * {@link ModelRegistry#checkAccess}.
 */
public enum Access {
    /** Read models, versions and files. */
    READ,
    /** Create, change, upload and delete. */
    WRITE,
    /** Delete a whole package through GitLab's packages API, as GitLab lets maintainers do. */
    MAINTAIN;

    /**
     * Whether a caller authorized for this may do {@code other} without being asked again: the same, or writing for one
     * allowed to maintain (the same scopes, a higher role). Reading is always asked again: a deploy token's write scope
     * does not include reading.
     */
    public boolean includes(Access other) {
        return this == other || (this == MAINTAIN && other == WRITE);
    }
}
