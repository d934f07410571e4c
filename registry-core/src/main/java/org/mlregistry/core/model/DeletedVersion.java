package org.mlregistry.core.model;

/**
 * A model version the catalog has deleted whose files may still be in storage: recorded in the same transaction as
 * the deletion, and dropped once storage holds nothing of it, so that a crash between the two leaves the clean-up to
 * be finished rather than files nothing can reach.
 *
 * @param projectId the version's project
 * @param versionId the version's id
 */
public record DeletedVersion(long projectId, long versionId) {

    /** The version as storage names it. */
    public ModelVersionRef ref() {
        return ModelVersionRef.ofVersion(versionId);
    }
}
