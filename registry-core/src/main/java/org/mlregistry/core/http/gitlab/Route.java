package org.mlregistry.core.http.gitlab;

import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;

/** The validated parts of a model-file route. */
record Route(ProjectRef project, ModelVersionRef version, FilePath file) {
}
