package org.mlregistry.core.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Tag;

/**
 * The JSON bodies of the MLflow-compatible API as records, named as MLflow names them ({@code snake_case}),
 * written by Jackson: never hand-built. Timestamps are milliseconds; a model version's {@code version} is
 * its numeric id as a string and {@code aliases} holds its semantic version, as GitLab answers.
 */
final class MlflowJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private MlflowJson() {
    }

    record TagJson(String key, String value) {
        static List<TagJson> of(List<Tag> tags) {
            return tags.stream().map(t -> new TagJson(t.key(), t.value())).toList();
        }
    }

    record ModelVersionJson(String name, String version, long creationTimestamp, long lastUpdatedTimestamp, String currentStage,
                            String description, String source, String runId, String status, String statusMessage,
                            List<TagJson> tags, String runLink, List<String> aliases) {
        static ModelVersionJson of(ModelVersion v) {
            return new ModelVersionJson(v.modelName().value(), Long.toString(v.id()), v.created().toEpochMilli(),
                    v.updated().toEpochMilli(), "development", v.description(), artifactUri(v), "", "READY", "",
                    TagJson.of(v.tags()), "", List.of(v.version().toString()));
        }
    }

    record RegisteredModelJson(String name, long creationTimestamp, long lastUpdatedTimestamp, String description, String userId,
                               List<TagJson> tags, List<ModelVersionJson> latestVersions) {
        static RegisteredModelJson of(RegisteredModel m, List<ModelVersion> latest) {
            return new RegisteredModelJson(m.name().value(), m.created().toEpochMilli(), m.updated().toEpochMilli(),
                    m.description(), m.createdBy(), TagJson.of(m.tags()), latest.stream().map(ModelVersionJson::of).toList());
        }
    }

    record RegisteredModelResponse(RegisteredModelJson registeredModel) {
    }

    record RegisteredModelsResponse(List<RegisteredModelJson> registeredModels, @Nullable String nextPageToken) {
    }

    record ModelVersionResponse(ModelVersionJson modelVersion) {
    }

    record ModelVersionsResponse(List<ModelVersionJson> modelVersions, @Nullable String nextPageToken) {
    }

    record DownloadUriResponse(String artifactUri) {
    }

    record FileJson(String path, boolean isDir, @Nullable Long fileSize) {
        static FileJson of(FileEntry e) {
            return new FileJson(e.name(), e.directory(), e.directory() ? null : e.size());
        }
    }

    record FilesResponse(List<FileJson> files) {
    }

    /** MLflow's answer when there is nothing to return: {@code {}}. */
    static final Object EMPTY = java.util.Map.of();

    /** {@code mlflow-artifacts:/<id>}: where MLflow clients fetch a version's files. */
    static String artifactUri(ModelVersion v) {
        return "mlflow-artifacts:/" + v.id();
    }

    /** Sends {@code body} as a 200, as every MLflow success is. */
    static void send(RegistryHttpResponse response, Object body) throws IOException {
        JsonBody.send(response, 200, MAPPER.writeValueAsBytes(body));
    }
}
