package org.mlregistry.core;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NameRules;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.model.VersionLabels;
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

    /** The model with this id, of the project's models. */
    public RegisteredModel byId(Authorized reading, long modelId) throws IOException {
        for (RegisteredModel m : list(reading)) {
            if (m.id() == modelId) {
                return m;
            }
        }
        throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model not found");
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

    /** Sets one tag of a model (MLflow's {@code registered-models/set-tag}): replaced where its key is, else added. */
    public RegisteredModel setModelTag(Authorized writing, @Nullable String model, @Nullable String key, @Nullable String value)
            throws IOException {
        long projectId = writable(writing);
        ModelName n = name(model);
        Tag tag = tag(key, value);
        return catalogCall("setModelTag", () -> catalog().setModelTag(projectId, n, tag, now())).orElseThrow(() -> modelNotFound(n));
    }

    /** Removes one tag of a model (nothing when it has none). */
    public RegisteredModel deleteModelTag(Authorized writing, @Nullable String model, @Nullable String key) throws IOException {
        long projectId = writable(writing);
        ModelName n = name(model);
        String k = required(key, "key");
        return catalogCall("deleteModelTag", () -> catalog().deleteModelTag(projectId, n, k, now())).orElseThrow(() -> modelNotFound(n));
    }

    /** Sets one tag of a version (MLflow's {@code model-versions/set-tag}). */
    public ModelVersion setVersionTag(Authorized writing, @Nullable String model, @Nullable String version, @Nullable String key,
                                      @Nullable String value) throws IOException {
        long projectId = writable(writing);
        ModelVersion v = find(projectId, name(model), version);
        Tag tag = tag(key, value);
        return catalogCall("setVersionTag", () -> catalog().setVersionTag(projectId, v.id(), tag, now()))
                .orElseThrow(() -> versionNotFound(v.modelName(), String.valueOf(v.id())));
    }

    /** Removes one tag of a version (nothing when it has none). */
    public ModelVersion deleteVersionTag(Authorized writing, @Nullable String model, @Nullable String version, @Nullable String key)
            throws IOException {
        long projectId = writable(writing);
        ModelVersion v = find(projectId, name(model), version);
        String k = required(key, "key");
        return catalogCall("deleteVersionTag", () -> catalog().deleteVersionTag(projectId, v.id(), k, now()))
                .orElseThrow(() -> versionNotFound(v.modelName(), String.valueOf(v.id())));
    }

    /** Renames a model (MLflow's {@code registered-models/rename}); its versions, files and aliases stay with it. */
    public RegisteredModel rename(Authorized writing, @Nullable String model, @Nullable String newName) throws IOException {
        long projectId = writable(writing);
        ModelName from = name(model);
        ModelName to = name(required(newName, "new_name"));
        return catalogCall("renameModel", () -> catalog().renameModel(projectId, from, to, now())).orElseThrow(() -> modelNotFound(from));
    }

    /**
     * Points a model's alias at one of its versions (MLflow's {@code registered-models/alias}, POST). An alias is 1 to
     * 255 letters, digits, {@code _} and {@code -}; {@code latest}, version ids and semantic versions are reserved: they
     * name versions already.
     */
    public void setAlias(Authorized writing, @Nullable String model, @Nullable String alias, @Nullable String version)
            throws IOException {
        long projectId = writable(writing);
        ModelName n = name(model);
        String a = alias(alias);
        ModelVersion v = find(projectId, n, version);
        if (!catalogCall("setAlias", () -> catalog().setAlias(projectId, n, a, v.id()))) {
            throw versionNotFound(n, String.valueOf(v.id())); // deleted meanwhile
        }
    }

    /** Removes a model's alias (MLflow's {@code registered-models/alias}, DELETE); nothing when it has none. */
    public void deleteAlias(Authorized writing, @Nullable String model, @Nullable String alias) throws IOException {
        long projectId = writable(writing);
        ModelName n = name(model);
        String a = alias(alias);
        model(projectId, n);
        catalogCall("deleteAlias", () -> catalog().deleteAlias(projectId, n, a));
    }

    /**
     * The version an alias names: a user's alias, else {@code latest} (the highest semantic version), else a semantic
     * version (GitLab's implicit aliases).
     *
     * @throws RegistryException {@code RESOURCE_DOES_NOT_EXIST} with MLflow's words for an alias the model does not have
     */
    public ModelVersion aliased(Authorized reading, @Nullable String model, @Nullable String alias) throws IOException {
        long projectId = readable(reading);
        ModelName n = name(model);
        String a = required(alias, "alias");
        RegisteredModel m = model(projectId, n);
        Long id = catalogCall("aliases", () -> catalog().aliases(projectId, List.of(m.id()))).getOrDefault(m.id(), Map.of()).get(a);
        if (id != null) {
            return catalogCall("findVersion", () -> catalog().findVersion(projectId, id)).orElseThrow(() -> aliasNotFound(a));
        }
        if (a.equalsIgnoreCase("latest")) {
            return latestVersion(reading, n.value()).orElseThrow(() -> aliasNotFound(a));
        }
        if (SemanticVersion.isValid(a)) {
            Optional<ModelVersion> v = byVersion(catalogCall("listVersions", () -> catalog().listVersions(projectId, n)),
                    SemanticVersion.parse(a));
            if (v.isPresent()) {
                return v.get();
            }
        }
        throw aliasNotFound(a);
    }

    /**
     * The user aliases and stages of these versions, all of the caller's project: two catalog calls however many, for a
     * page of answers showing versions.
     */
    public VersionLabels labels(Authorized reading, Collection<ModelVersion> versions) throws IOException {
        long projectId = readable(reading);
        if (versions.isEmpty()) {
            return VersionLabels.NONE;
        }
        List<Long> modelIds = versions.stream().map(ModelVersion::modelId).distinct().toList();
        return labels(reading, versions, catalogCall("aliases", () -> catalog().aliases(projectId, modelIds)));
    }

    /**
     * As {@link #labels(Authorized, Collection)}, with the aliases of the versions' models already read
     * ({@link #aliases(Authorized, Collection)}): one catalog call.
     */
    public VersionLabels labels(Authorized reading, Collection<ModelVersion> versions, Map<Long, Map<String, Long>> modelAliases)
            throws IOException {
        long projectId = readable(reading);
        if (versions.isEmpty()) {
            return VersionLabels.NONE;
        }
        Set<Long> ids = new HashSet<>();
        versions.forEach(v -> ids.add(v.id()));
        Map<Long, List<String>> aliases = new HashMap<>();
        modelAliases.values().forEach(of -> of.forEach((alias, version) -> {
            if (ids.contains(version)) {
                aliases.computeIfAbsent(version, k -> new ArrayList<>()).add(alias);
            }
        }));
        aliases.values().forEach(list -> list.sort(null));
        return new VersionLabels(aliases, catalogCall("stages", () -> catalog().stages(projectId, ids)));
    }

    /** Each of these models' aliases, alias to version id in alphabetical order, by model id: one catalog call. */
    public Map<Long, Map<String, Long>> aliases(Authorized reading, Collection<RegisteredModel> models) throws IOException {
        long projectId = readable(reading);
        return models.isEmpty() ? Map.of()
                : catalogCall("aliases", () -> catalog().aliases(projectId, models.stream().map(RegisteredModel::id).toList()));
    }

    /**
     * Moves a version into an MLflow stage (MLflow's {@code model-versions/transition-stage}), optionally archiving the
     * model's other versions in it.
     */
    public ModelVersion transitionStage(Authorized writing, @Nullable String model, @Nullable String version, @Nullable String stage,
                                        boolean archiveExisting) throws IOException {
        long projectId = writable(writing);
        ModelVersion v = find(projectId, name(model), version);
        String text = required(stage, "stage");
        Stage s = Stage.parse(text).orElseThrow(() -> invalid("Invalid Model Version stage: " + text
                + ". Value must be one of None, Staging, Production, Archived."));
        return catalogCall("transitionStage", () -> catalog().transitionStage(projectId, v.id(), s, archiveExisting, now()))
                .orElseThrow(() -> versionNotFound(v.modelName(), String.valueOf(v.id())));
    }

    private static String alias(@Nullable String alias) {
        String a = required(alias, "alias");
        if (a.length() <= 255 && (a.equalsIgnoreCase("latest") || isVersionId(a) || SemanticVersion.isValid(a)
                || (a.length() > 1 && (a.charAt(0) == 'v' || a.charAt(0) == 'V') && isVersionId(a.substring(1))))) {
            throw invalid("Invalid value for parameter 'alias': '" + a + "' is reserved (latest, version numbers and "
                    + "semantic versions name versions already)");
        }
        if (a.length() > 255 || !a.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-')) {
            throw invalid("Invalid value for parameter 'alias': an alias is 1 to 255 letters, digits, '_' and '-'");
        }
        return a;
    }

    /** A tag a client sets, parsed as the tags of a create are ({@link Tag#parse}). */
    static Tag tag(@Nullable String key, @Nullable String value) {
        try {
            return Tag.parse(required(key, "key"), value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value for parameter 'key': " + e.getMessage());
        }
    }

    private static RegistryException aliasNotFound(String alias) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Registered model alias " + alias + " not found.");
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

    /** The tags of one create, checked as a set ({@link Tag#checkSet}). */
    static List<Tag> tags(List<Tag> tags) {
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

    static String required(@Nullable String value, String parameter) {
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
