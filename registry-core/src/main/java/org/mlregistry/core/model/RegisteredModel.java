package org.mlregistry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered model: a named container of versions in one project.
 *
 * @param id the catalog's id for it
 * @param projectId its project
 * @param name its name, unique in the project
 * @param description free text (empty when none)
 * @param tags its tags, in the order given
 * @param createdBy the user who created it, empty when unknown
 * @param created when it was created
 * @param updated when it was last changed
 */
public record RegisteredModel(long id, long projectId, ModelName name, String description, List<Tag> tags, String createdBy,
                              Instant created, Instant updated) {
    public RegisteredModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        tags = List.copyOf(tags);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }
}
