package org.mlregistry.core;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NameRules;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ModelCatalog;

/**
 * The catalog half of the registry: registered models and their versions, under the same rules as files
 * (reading needs a read scope and, on non-public projects, membership; writing needs {@code api} and
 * developer or above). Parameters arrive as the client sent them and are validated here, so every entry
 * point refuses bad input the same way ({@link Refusal#INVALID_PARAMETER_VALUE}, naming the parameter).
 * A version is named by its numeric id or its semantic version, as MLflow clients send either.
 *
 * <pre>{@code
 * Models models = registry.models();
 * models.create(caller, project, "sentiment", "", List.of());
 * ModelVersion v = models.createVersion(caller, project, "sentiment", "1.0.0", "", List.of());
 * registry.upload(caller, project, v.ref(), FilePath.of("model.bin"), Declared.NOTHING, content);
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, provided the SPIs are.
 */
public final class Models {

    private final RegistryContext context;
    private final Deletions deletions;

    Models(RegistryContext context, Deletions deletions) {
        this.context = context;
        this.deletions = deletions;
    }

    /** Creates a model. */
    public RegisteredModel create(Caller caller, ProjectRef project, @Nullable String name, @Nullable String description,
                                  List<Tag> tags) throws IOException {
        return create(context.authorize(caller, project, Access.WRITE), name, description, tags);
    }

    /** As {@link #create(Caller, ProjectRef, String, String, List)}, for a caller already authorized. */
    public RegisteredModel create(Authorized writing, @Nullable String name, @Nullable String description, List<Tag> tags)
            throws IOException {
        Authorized g = context.require(writing, Access.WRITE);
        ModelName n = name(name);
        List<Tag> checked = tags(tags);
        return catalogCall("createModel", () -> catalog().createModel(g.project().id(), n, text(description), checked, g.actor(), now()));
    }

    /** The model of that name. */
    public RegisteredModel get(Caller caller, ProjectRef project, @Nullable String name) throws IOException {
        return get(context.authorize(caller, project, Access.READ), name);
    }

    /** As {@link #get(Caller, ProjectRef, String)}, for a caller already authorized. */
    public RegisteredModel get(Authorized reading, @Nullable String name) throws IOException {
        return model(readable(reading), name(name));
    }

    /** All models of the project, by name. */
    public List<RegisteredModel> list(Caller caller, ProjectRef project) throws IOException {
        return list(context.authorize(caller, project, Access.READ));
    }

    /** As {@link #list(Caller, ProjectRef)}, for a caller already authorized. */
    public List<RegisteredModel> list(Authorized reading) throws IOException {
        long projectId = readable(reading);
        return catalogCall("listModels", () -> catalog().listModels(projectId));
    }

    /** Sets a model's description. */
    public RegisteredModel update(Caller caller, ProjectRef project, @Nullable String name, @Nullable String description)
            throws IOException {
        return update(context.authorize(caller, project, Access.WRITE), name, description);
    }

    /** As {@link #update(Caller, ProjectRef, String, String)}, for a caller already authorized. */
    public RegisteredModel update(Authorized writing, @Nullable String name, @Nullable String description) throws IOException {
        long projectId = writable(writing);
        ModelName n = name(name);
        return catalogCall("updateModel", () -> catalog().updateModel(projectId, n, text(description), now()))
                .orElseThrow(() -> modelNotFound(n));
    }

    /**
     * Deletes a model with its versions and their files. Answers once the catalog has deleted them; files that
     * cannot be removed now are removed by the next {@link ModelRegistry#removeDeletedFiles}.
     */
    public void delete(Caller caller, ProjectRef project, @Nullable String name) throws IOException {
        delete(context.authorize(caller, project, Access.WRITE), name);
    }

    /** As {@link #delete(Caller, ProjectRef, String)}, for a caller already authorized. */
    public void delete(Authorized writing, @Nullable String name) throws IOException {
        long projectId = writable(writing);
        ModelName n = name(name);
        // the versions known now are held still while the model goes; one created meanwhile is caught by its uploads'
        // own check after publishing
        List<Long> ids = catalogCall("listVersions", () -> catalog().listVersions(projectId, n)).stream().map(ModelVersion::id).toList();
        List<ModelVersion> deleted = deletions.deleting(ids, () -> catalog().deleteModel(projectId, n), "deleteModel")
                .orElseThrow(() -> modelNotFound(n));
        for (ModelVersion v : deleted) {
            deletions.removeFiles(new DeletedVersion(projectId, v.id()));
        }
    }

    /**
     * Creates a version of the model: {@code version} when given, else the next patch of its highest.
     *
     * @throws RegistryException {@link Refusal#INVALID_PARAMETER_VALUE} for a version that is not semver
     */
    public ModelVersion createVersion(Caller caller, ProjectRef project, @Nullable String model, @Nullable String version,
                                      @Nullable String description, List<Tag> tags) throws IOException {
        return createVersion(context.authorize(caller, project, Access.WRITE), model, version, description, tags);
    }

    /** As {@link #createVersion(Caller, ProjectRef, String, String, String, List)}, for a caller already authorized. */
    public ModelVersion createVersion(Authorized writing, @Nullable String model, @Nullable String version,
                                      @Nullable String description, List<Tag> tags) throws IOException {
        long projectId = writable(writing);
        ModelName n = name(model);
        Optional<SemanticVersion> semver = version == null ? Optional.empty() : Optional.of(semver(version, "version"));
        List<Tag> checked = tags(tags);
        ModelVersion created = catalogCall("createVersion", () -> catalog().createVersion(projectId, n, semver, text(description), checked, now()));
        context.knownVersions().remember(projectId, created.id());
        return created;
    }

    /** The model's version named by its numeric id or its semantic version. */
    public ModelVersion version(Caller caller, ProjectRef project, @Nullable String model, @Nullable String version)
            throws IOException {
        return version(context.authorize(caller, project, Access.READ), model, version);
    }

    /** As {@link #version(Caller, ProjectRef, String, String)}, for a caller already authorized. */
    public ModelVersion version(Authorized reading, @Nullable String model, @Nullable String version) throws IOException {
        return find(readable(reading), name(model), version);
    }

    /** The model's versions, oldest first. */
    public List<ModelVersion> versions(Caller caller, ProjectRef project, @Nullable String model) throws IOException {
        return versions(context.authorize(caller, project, Access.READ), model);
    }

    /** As {@link #versions(Caller, ProjectRef, String)}, for a caller already authorized. */
    public List<ModelVersion> versions(Authorized reading, @Nullable String model) throws IOException {
        long projectId = readable(reading);
        ModelName n = name(model);
        model(projectId, n);
        return catalogCall("listVersions", () -> catalog().listVersions(projectId, n));
    }

    /**
     * The versions of every model of {@code models}, by id, in one catalog call however many there are: a search's
     * page. Models that do not exist (any more) have none.
     */
    public List<ModelVersion> versions(Authorized reading, Collection<RegisteredModel> models) throws IOException {
        long projectId = readable(reading);
        List<ModelName> names = names(models);
        return catalogCall("listVersionsOf", () -> catalog().listVersionsOf(projectId, names));
    }

    /** The model's latest version (the highest semantic version, {@link ModelVersion#PRECEDENCE}), if it has any. */
    public Optional<ModelVersion> latestVersion(Caller caller, ProjectRef project, @Nullable String model) throws IOException {
        return latestVersion(context.authorize(caller, project, Access.READ), model);
    }

    /** As {@link #latestVersion(Caller, ProjectRef, String)}, for a caller already authorized. */
    public Optional<ModelVersion> latestVersion(Authorized reading, @Nullable String model) throws IOException {
        return versions(reading, model).stream().max(ModelVersion.PRECEDENCE);
    }

    /**
     * The latest version (the highest semantic version) of each model of {@code models} that has one, in one catalog call however
     * many there are: what a search's page shows beside each model.
     */
    public Map<ModelName, ModelVersion> latestVersions(Authorized reading, Collection<RegisteredModel> models) throws IOException {
        long projectId = readable(reading);
        List<ModelName> names = names(models);
        return catalogCall("latestVersions", () -> catalog().latestVersions(projectId, names));
    }

    /** Sets a version's description. */
    public ModelVersion updateVersion(Caller caller, ProjectRef project, @Nullable String model, @Nullable String version,
                                      @Nullable String description) throws IOException {
        return updateVersion(context.authorize(caller, project, Access.WRITE), model, version, description);
    }

    /** As {@link #updateVersion(Caller, ProjectRef, String, String, String)}, for a caller already authorized. */
    public ModelVersion updateVersion(Authorized writing, @Nullable String model, @Nullable String version,
                                      @Nullable String description) throws IOException {
        long projectId = writable(writing);
        ModelVersion v = find(projectId, name(model), version);
        return catalogCall("updateVersion", () -> catalog().updateVersion(projectId, v.id(), text(description), now()))
                .orElseThrow(() -> versionNotFound(v.modelName(), String.valueOf(v.id())));
    }

    /** Deletes a version and its files, as {@link #delete} does a model's. */
    public void deleteVersion(Caller caller, ProjectRef project, @Nullable String model, @Nullable String version)
            throws IOException {
        deleteVersion(context.authorize(caller, project, Access.WRITE), model, version);
    }

    /** As {@link #deleteVersion(Caller, ProjectRef, String, String)}, for a caller already authorized. */
    public void deleteVersion(Authorized writing, @Nullable String model, @Nullable String version) throws IOException {
        long projectId = writable(writing);
        ModelVersion v = find(projectId, name(model), version);
        if (deletions.deleting(List.of(v.id()), () -> catalog().deleteVersion(projectId, v.id()), "deleteVersion")) {
            deletions.removeFiles(new DeletedVersion(projectId, v.id()));
        }
    }

    private long readable(Authorized right) throws IOException {
        return context.require(right, Access.READ).project().id();
    }

    private long writable(Authorized right) throws IOException {
        return context.require(right, Access.WRITE).project().id();
    }

    private static List<ModelName> names(Collection<RegisteredModel> models) {
        return models.stream().map(RegisteredModel::name).distinct().toList();
    }

    private ModelVersion find(long projectId, ModelName model, @Nullable String version) {
        String text = required(version, "version");
        model(projectId, model);
        if (isVersionId(text)) {
            long id = Long.parseLong(text);
            return catalogCall("findVersion", () -> catalog().findVersion(projectId, id)).filter(v -> v.modelName().equals(model))
                    .orElseThrow(() -> versionNotFound(model, text));
        }
        SemanticVersion semver = semver(text, "version");
        return byVersion(catalogCall("listVersions", () -> catalog().listVersions(projectId, model)), semver)
                .orElseThrow(() -> versionNotFound(model, text));
    }

    /**
     * The version of {@code versions} that {@code semver} names: the one written exactly so, else the one of the same
     * precedence ({@code 1.0.0} finds {@code 1.0.0+build.5}; versions are unique by precedence).
     */
    static Optional<ModelVersion> byVersion(List<ModelVersion> versions, SemanticVersion semver) {
        return versions.stream().filter(v -> v.version().equals(semver)).findFirst()
                .or(() -> versions.stream().filter(v -> v.version().samePrecedence(semver)).findFirst());
    }

    private RegisteredModel model(long projectId, ModelName name) {
        return catalogCall("findModel", () -> catalog().findModel(projectId, name)).orElseThrow(() -> modelNotFound(name));
    }

    private <T> T catalogCall(String operation, CatalogCalls.Call<T> call) {
        return context.catalogCall(operation, call);
    }

    private ModelCatalog catalog() {
        return context.catalog();
    }

    private Instant now() {
        return context.now();
    }

    /** Whether {@code text} names a version by its numeric id: 1 to 18 ASCII digits (never other scripts' digits). */
    public static boolean isVersionId(String text) {
        return !text.isEmpty() && text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static ModelName name(@Nullable String name) {
        String value = required(name, "name");
        try {
            return ModelName.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid("name: " + e.getMessage());
        }
    }

    private static List<Tag> tags(List<Tag> tags) {
        try {
            return Tag.checkSet(tags);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value for parameter 'tags': " + e.getMessage());
        }
    }

    private static SemanticVersion semver(String text, String parameter) {
        try {
            return SemanticVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(parameter + ": " + e.getMessage());
        }
    }

    private static String required(@Nullable String value, String parameter) {
        if (value == null || value.isEmpty()) {
            throw invalid("Missing value for required parameter '" + parameter + "'");
        }
        return value;
    }

    private static String text(@Nullable String description) {
        String d = description == null ? "" : description;
        if (d.length() > 10_000) {
            throw invalid("description: at most 10000 characters");
        }
        try {
            return NameRules.wellFormed(d, "description");
        } catch (IllegalArgumentException e) {
            throw invalid(String.valueOf(e.getMessage()));
        }
    }

    static RegistryException invalid(String message) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, message);
    }

    private static RegistryException modelNotFound(ModelName name) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Registered model (name=" + name + ") not found");
    }

    private static RegistryException versionNotFound(ModelName name, String version) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST,
                "Model version (name=" + name + ", version=" + version + ") not found");
    }
}
