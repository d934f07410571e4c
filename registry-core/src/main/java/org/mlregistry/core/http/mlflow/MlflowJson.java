package org.mlregistry.core.http.mlflow;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.JsonBody;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.model.VersionLabels;

/**
 * The JSON bodies of the MLflow-compatible API, named as MLflow names them ({@code snake_case}) and written with
 * Jackson's streaming writer: never hand-built. Timestamps are milliseconds; a model version's {@code version} is its
 * numeric id as a string and {@code aliases} holds its semantic version, as GitLab answers. The fields are those of
 * MLflow's {@code ModelVersion} and {@code RegisteredModel} messages ({@code mlflow/protos/model_registry.proto}).
 */
final class MlflowJson {

    private MlflowJson() {
    }

    /** Sends a 200 whose body is the object {@code fields} writes the fields of, as every MLflow success is. */
    static void send(RegistryHttpResponse response, JsonBody.Writer fields) throws IOException {
        JsonBody.send(response, 200, JsonBody.json(g -> {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }));
    }

    /** MLflow's answer when there is nothing to return: {@code {}}. */
    static void sendEmpty(RegistryHttpResponse response) throws IOException {
        send(response, g -> { });
    }

    /**
     * {@code {"registered_model": {...}}} with its latest versions, their labels, and the model's aliases
     * (alias to version id).
     */
    static void sendModel(RegistryHttpResponse response, RegisteredModel m, List<ModelVersion> latest, VersionLabels labels,
                          Map<String, Long> aliases) throws IOException {
        send(response, g -> {
            g.writeFieldName("registered_model");
            model(g, m, latest, labels, aliases);
        });
    }

    /** {@code {"model_version": ...}} with the version's user aliases after its semantic version, and its stage. */
    static void sendVersion(RegistryHttpResponse response, ModelVersion v, VersionLabels labels) throws IOException {
        send(response, g -> {
            g.writeFieldName("model_version");
            version(g, v, labels);
        });
    }

    /** {@code {"model_versions": [...]}}, each with its user aliases and stage. */
    static void sendVersions(RegistryHttpResponse response, List<ModelVersion> versions, VersionLabels labels) throws IOException {
        send(response, g -> {
            g.writeArrayFieldStart("model_versions");
            for (ModelVersion v : versions) {
                version(g, v, labels);
            }
            g.writeEndArray();
        });
    }

    /** {@code {"experiment": {...}}}. */
    static void sendExperiment(RegistryHttpResponse response, Experiment e) throws IOException {
        send(response, g -> {
            g.writeFieldName("experiment");
            experiment(g, e);
        });
    }

    /**
     * An experiment, as an object in GitLab's fields ({@code API::Entities::Ml::Mlflow::Experiment}): its id is its
     * {@code iid}, and its artifact location GitLab's {@code not_implemented} (a run's files have a location of their own).
     */
    static void experiment(JsonGenerator g, Experiment e) throws IOException {
        g.writeStartObject();
        g.writeStringField("experiment_id", Long.toString(e.iid()));
        g.writeStringField("name", e.name());
        g.writeStringField("lifecycle_stage", e.lifecycleStage());
        g.writeStringField("artifact_location", "not_implemented");
        tags(g, e.tags());
        g.writeEndObject();
    }

    /** {@code {"files": [{"path": ..., "is_dir": ..., "file_size": ...}]}}: an artifact listing. */
    static void sendFiles(RegistryHttpResponse response, List<FileEntry> entries) throws IOException {
        send(response, g -> {
            g.writeArrayFieldStart("files");
            for (FileEntry e : entries) {
                g.writeStartObject();
                g.writeStringField("path", e.name());
                g.writeBooleanField("is_dir", e.directory());
                if (!e.directory()) {
                    g.writeNumberField("file_size", e.size());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /**
     * A registered model with its latest versions, as an object; its {@code aliases} (MLflow's
     * {@code [{"alias": ..., "version": ...}]}) only when it has any, as MLflow leaves an empty list out.
     */
    static void model(JsonGenerator g, RegisteredModel m, List<ModelVersion> latest, VersionLabels labels, Map<String, Long> aliases)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", m.name().value());
        g.writeNumberField("creation_timestamp", m.created().toEpochMilli());
        g.writeNumberField("last_updated_timestamp", m.updated().toEpochMilli());
        g.writeStringField("description", m.description());
        g.writeStringField("user_id", m.createdBy());
        tags(g, m.tags());
        g.writeArrayFieldStart("latest_versions");
        for (ModelVersion v : latest) {
            version(g, v, labels);
        }
        g.writeEndArray();
        if (!aliases.isEmpty()) {
            g.writeArrayFieldStart("aliases");
            for (Map.Entry<String, Long> a : aliases.entrySet()) {
                g.writeStartObject();
                g.writeStringField("alias", a.getKey());
                g.writeStringField("version", Long.toString(a.getValue()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /**
     * A model version, as an object: its aliases are its semantic version, then its user aliases; its
     * {@code current_stage} is GitLab's {@code development} unless it was moved into an MLflow stage.
     */
    static void version(JsonGenerator g, ModelVersion v, VersionLabels labels) throws IOException {
        Stage stage = labels.stageOf(v);
        g.writeStartObject();
        g.writeStringField("name", v.modelName().value());
        g.writeStringField("version", Long.toString(v.id()));
        g.writeNumberField("creation_timestamp", v.created().toEpochMilli());
        g.writeNumberField("last_updated_timestamp", v.updated().toEpochMilli());
        g.writeStringField("current_stage", stage == null || stage == Stage.NONE ? "development" : stage.mlflowName());
        g.writeStringField("description", v.description());
        g.writeStringField("source", artifactUri(v));
        g.writeStringField("run_id", v.runId());
        g.writeStringField("status", "READY");
        g.writeStringField("status_message", "");
        tags(g, v.tags());
        g.writeStringField("run_link", "");
        g.writeArrayFieldStart("aliases");
        g.writeString(v.version().toString());
        for (String alias : labels.aliasesOf(v)) {
            g.writeString(alias);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code "params": [{"key": ..., "value": ...}]}. */
    static void params(JsonGenerator g, List<Param> params) throws IOException {
        g.writeArrayFieldStart("params");
        for (Param p : params) {
            g.writeStartObject();
            g.writeStringField("key", p.key());
            g.writeStringField("value", p.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code "tags": [{"key": ..., "value": ...}]}. */
    static void tags(JsonGenerator g, List<Tag> tags) throws IOException {
        g.writeArrayFieldStart("tags");
        for (Tag t : tags) {
            g.writeStartObject();
            g.writeStringField("key", t.key());
            g.writeStringField("value", t.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code mlflow-artifacts:/<id>}: where MLflow clients fetch a version's files; {@code mlflow-artifacts:/<id>/<path>}
     * for a version registered from {@code runs:/<run_id>/<path>}, whose model is that directory of its files.
     */
    static String artifactUri(ModelVersion v) {
        return "mlflow-artifacts:/" + v.id() + (v.sourcePath().isEmpty() ? "" : "/" + v.sourcePath());
    }
}
