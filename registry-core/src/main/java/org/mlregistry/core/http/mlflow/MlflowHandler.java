package org.mlregistry.core.http.mlflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.Experiments;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Models;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.CredentialExtractor;
import org.mlregistry.core.http.base.ErrorBoundary;
import org.mlregistry.core.http.base.FileEndpoint;
import org.mlregistry.core.http.base.JsonBody;
import org.mlregistry.core.http.base.RawPaths;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.http.base.RequestBodies;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.model.VersionLabels;

/**
 * GitLab's MLflow-compatible model registry API ({@code .../ml/mlflow/api/2.0/mlflow/registered-models/*},
 * {@code model-versions/*}), its tracking API ({@code experiments/*}, {@code runs/*}) and MLflow's artifact routes
 * ({@code .../mlflow-artifacts/artifacts}), over the registry's {@link Models}, {@link Experiments} and files. Success
 * is always 200 with a JSON object; every endpoint not implemented ({@code logged-models}, {@code api/3.0/...}) answers 404
 * {@code ENDPOINT_NOT_FOUND} at once. Searches are bounded: filters by {@link SearchFilter} (linear-time
 * {@code LIKE}), orderings by {@link SearchOrder}, pages by count and by {@value #MAX_PAGE_BYTES} bytes. Artifact downloads are the file route's, with its HTTP semantics,
 * but never a redirect: MLflow clients do not follow one and would store its body as the file.
 */
public final class MlflowHandler {

    /** The version tag by which GitLab's MLflow clients choose a version's semantic version. */
    static final String VERSION_TAG = "gitlab.version";
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_RESULTS = 1000;
    /**
     * A version search's page when none is asked for, and its largest: MLflow's server's (its client always sends
     * {@code max_results=10000}, {@code SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT}); a page still ends at
     * {@link #MAX_PAGE_BYTES} of JSON.
     */
    static final int DEFAULT_MAX_VERSION_RESULTS = 10_000;
    static final int MAX_VERSION_RESULTS = 200_000;
    /**
     * An answer's entries stop at this many bytes (the next page has the rest; a page has one entry at least): 100
     * models of 100 tags of 5,000 characters each would otherwise make one search answer over a hundred megabytes.
     */
    static final int MAX_PAGE_BYTES = 4 << 20;
    /** An experiment search's page when none is asked for, and its largest (a larger one is capped): GitLab's. */
    static final int DEFAULT_MAX_EXPERIMENTS = 200;
    static final int MAX_EXPERIMENTS = 1000;
    /** How many experiments' tags a listing reads at once (an experiment's tags may be half a megabyte). */
    static final int TAGS_READ_AT_ONCE = 16;

    private final ModelRegistry registry;
    private final Models models;
    private final Experiments experiments;
    private final RunEndpoints runs;
    private final LoggedModelEndpoints loggedModels;
    private final FileEndpoint files;

    /** Answers the MLflow routes of {@code registry}, its artifacts through {@code files}. */
    public MlflowHandler(ModelRegistry registry, FileEndpoint files) {
        this.registry = registry;
        this.models = registry.models();
        this.experiments = registry.experiments();
        this.runs = new RunEndpoints(registry.runs(), registry.loggedModels());
        this.loggedModels = new LoggedModelEndpoints(registry.loggedModels());
        this.files = files;
    }

    /**
     * Answers a request on an MLflow route. Method, credentials, project and permission are decided before the body
     * is read or a parameter parsed; what comes after may run later, on another thread, inside the same boundary.
     */
    public void handle(MlflowRoute route, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        ErrorBoundary boundary = new ErrorBoundary(MlflowDialect.INSTANCE, request, response);
        boundary.run(() -> {
            if (route.kind() == MlflowRoute.Kind.UNKNOWN) {
                // answered at once: the newest MLflow client probes api/3.0/mlflow/server-info before every download
                throw endpointNotFound();
            }
            Caller caller = CredentialExtractor.extract(request);
            switch (route.kind()) {
                case UNKNOWN -> throw endpointNotFound();
                case ARTIFACT -> artifact(route, caller, request, response);
                case ARTIFACT_LIST -> {
                    require(request.method(), "GET");
                    Authorized reading = registry.authorize(caller, RawPaths.project(route.rawProject()), Access.READ);
                    request.authorized(reading);
                    RequestBodies.read(request, MlflowParams.MAX_BODY, boundary,
                            body -> list(reading, MlflowParams.of(request.rawQuery(), body), response));
                }
                case OPERATION -> {
                    MlflowOperation op = route.operation().forMethod(request.method()).orElseThrow(MlflowHandler::endpointNotFound);
                    Authorized right = registry.authorize(caller, RawPaths.project(route.rawProject()), op.access());
                    request.authorized(right);
                    RequestBodies.read(request, MlflowParams.MAX_BODY, boundary,
                            body -> run(op, right, MlflowParams.of(request.rawQuery(), body).withPath(route.rawArtifact()), response));
                }
            }
        });
    }

    private void run(MlflowOperation op, Authorized right, MlflowParams p, RegistryHttpResponse response) throws IOException {
        switch (op) {
            case CREATE_MODEL -> MlflowJson.sendModel(response, models.create(right, p.text("name"), p.text("description"), p.tags()),
                    List.of(), VersionLabels.NONE, Map.of());
            case GET_MODEL -> sendModel(response, right, models.get(right, p.text("name")));
            case UPDATE_MODEL -> sendModel(response, right, models.update(right, p.text("name"), p.text("description")));
            case DELETE_MODEL -> {
                models.delete(right, p.text("name"));
                MlflowJson.sendEmpty(response);
            }
            case SEARCH_MODELS -> searchModels(p, right, response);
            case LATEST_VERSIONS, LATEST_VERSIONS_GET -> {
                List<ModelVersion> latest = latestVersions(right, p.text("name"), p.texts("stages"));
                MlflowJson.sendVersions(response, latest, models.labels(right, latest));
            }
            case GET_ALIAS -> {
                String alias = p.text("alias");
                if (alias != null && Models.isVersionId(alias)) {
                    throw MlflowParams.invalid("Invalid value for parameter 'alias': an alias is not a version number");
                }
                sendVersion(response, right, models.aliased(right, p.text("name"), alias));
            }
            case SET_ALIAS -> {
                models.setAlias(right, p.text("name"), p.text("alias"), p.text("version"));
                MlflowJson.sendEmpty(response);
            }
            case DELETE_ALIAS -> {
                models.deleteAlias(right, p.text("name"), p.text("alias"));
                MlflowJson.sendEmpty(response);
            }
            case SET_MODEL_TAG -> {
                models.setModelTag(right, p.text("name"), p.text("key"), p.text("value"));
                MlflowJson.sendEmpty(response);
            }
            case DELETE_MODEL_TAG -> {
                models.deleteModelTag(right, p.text("name"), p.text("key"));
                MlflowJson.sendEmpty(response);
            }
            case RENAME_MODEL -> sendModel(response, right, models.rename(right, p.text("name"), p.text("new_name")));
            case SET_VERSION_TAG -> {
                models.setVersionTag(right, p.text("name"), p.text("version"), p.text("key"), p.text("value"));
                MlflowJson.sendEmpty(response);
            }
            case DELETE_VERSION_TAG -> {
                models.deleteVersionTag(right, p.text("name"), p.text("version"), p.text("key"));
                MlflowJson.sendEmpty(response);
            }
            case CREATE_VERSION -> {
                List<Tag> tags = p.tags();
                String semver = tags.stream().filter(t -> t.key().equals(VERSION_TAG)).map(Tag::value).reduce((a, b) -> b)
                        .orElse(null);
                MlflowJson.sendVersion(response, registry.runRegistrations().createVersion(right, p.text("name"), semver,
                        p.text("description"), tags, p.text("run_id"), p.text("source"), p.text("model_id")), VersionLabels.NONE);
            }
            case GET_VERSION -> sendVersion(response, right, models.version(right, p.text("name"), p.text("version")));
            case TRANSITION_STAGE -> sendVersion(response, right, models.transitionStage(right, p.text("name"), p.text("version"),
                    p.text("stage"), p.flag("archive_existing_versions", false)));
            case UPDATE_VERSION -> sendVersion(response, right, models.updateVersion(right, p.text("name"), p.text("version"),
                    p.text("description")));
            case DELETE_VERSION -> {
                models.deleteVersion(right, p.text("name"), p.text("version"));
                MlflowJson.sendEmpty(response);
            }
            case DOWNLOAD_URI -> {
                ModelVersion v = models.version(right, p.text("name"), p.text("version"));
                MlflowJson.send(response, g -> g.writeStringField("artifact_uri", MlflowJson.artifactUri(v)));
            }
            case SEARCH_VERSIONS -> searchVersions(p, right, response);
            case CREATE_EXPERIMENT -> {
                Experiment e = experiments.create(right, p.text("name"), p.tags());
                MlflowJson.send(response, g -> g.writeStringField("experiment_id", Long.toString(e.iid())));
            }
            case GET_EXPERIMENT -> MlflowJson.sendExperiment(response, experiments.get(right, p.text("experiment_id")));
            case GET_EXPERIMENT_BY_NAME -> MlflowJson.sendExperiment(response, experiments.byName(right, p.text("experiment_name")));
            case LIST_EXPERIMENTS, SEARCH_EXPERIMENTS, SEARCH_EXPERIMENTS_GET -> searchExperiments(p, right, response,
                    op == MlflowOperation.LIST_EXPERIMENTS);
            case DELETE_EXPERIMENT -> {
                experiments.delete(right, p.text("experiment_id"));
                MlflowJson.sendEmpty(response);
            }
            case RESTORE_EXPERIMENT -> {
                experiments.restore(right, p.text("experiment_id"));
                MlflowJson.sendEmpty(response);
            }
            case UPDATE_EXPERIMENT -> {
                experiments.rename(right, p.text("experiment_id"), p.text("new_name"));
                MlflowJson.sendEmpty(response);
            }
            case SET_EXPERIMENT_TAG -> {
                experiments.setTag(right, p.text("experiment_id"), p.text("key"), p.text("value"));
                MlflowJson.sendEmpty(response);
            }
            case DELETE_EXPERIMENT_TAG -> {
                experiments.deleteTag(right, p.text("experiment_id"), p.text("key"));
                MlflowJson.sendEmpty(response);
            }
            case CREATE_RUN, GET_RUN, UPDATE_RUN, DELETE_RUN, RESTORE_RUN, LOG_METRIC, LOG_PARAMETER, SET_RUN_TAG, DELETE_RUN_TAG,
                 LOG_BATCH, METRIC_HISTORY, SEARCH_RUNS, LOG_OUTPUTS -> runs.answer(op, right, p, response);
            case CREATE_LOGGED_MODEL, SEARCH_LOGGED_MODELS, GET_LOGGED_MODEL, FINALIZE_LOGGED_MODEL, DELETE_LOGGED_MODEL,
                 SET_LOGGED_MODEL_TAGS, DELETE_LOGGED_MODEL_TAG, LOG_LOGGED_MODEL_PARAMS -> loggedModels.answer(op, right, p, response);
        }
    }

    /**
     * A page of the project's experiments that the view type and filter keep ({@link ExperimentSearch}), in the order
     * asked for; {@code max_results} 200 by default and at most 1,000, as GitLab caps it. GitLab's {@code list} is the
     * same over every experiment, active and deleted, by id, 1,000 at a time. Tags are read only for the experiments a
     * page shows (unless the filter is on tags), a few at a time, until the page's bytes are full.
     */
    private void searchExperiments(MlflowParams p, Authorized reading, RegistryHttpResponse response, boolean list) throws IOException {
        int max = list ? MAX_EXPERIMENTS : Math.min(p.number("max_results", DEFAULT_MAX_EXPERIMENTS, 1, Integer.MAX_VALUE), MAX_EXPERIMENTS);
        int offset = PageToken.offset(p.text("page_token"));
        SearchFilter filter = list ? SearchFilter.parse(null) : SearchFilter.parse(p.text("filter"));
        boolean tagsNeeded = ExperimentSearch.onTags(filter);
        Predicate<Experiment> keep = (list ? ExperimentSearch.view("ALL") : ExperimentSearch.view(p.text("view_type")))
                .and(ExperimentSearch.filter(filter));
        Comparator<Experiment> order = list ? Comparator.comparingLong(Experiment::iid) : ExperimentSearch.order(p.texts("order_by"));
        List<Experiment> all = experiments.list(reading);
        List<Experiment> found = new ArrayList<>((tagsNeeded ? experiments.withTags(reading, all) : all).stream().filter(keep).toList());
        found.sort(order);
        List<Experiment> shown = found.subList(Math.min(offset, found.size()), (int) Math.min((long) offset + max, found.size()));
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        fill:
        for (int from = 0; from < shown.size(); from += TAGS_READ_AT_ONCE) {
            List<Experiment> some = shown.subList(from, Math.min(from + TAGS_READ_AT_ONCE, shown.size()));
            for (Experiment e : tagsNeeded ? some : experiments.withTags(reading, some)) {
                if (!page.add(JsonBody.json(g -> MlflowJson.experiment(g, e)))) {
                    break fill;
                }
            }
        }
        page.send(response, "experiments", PageToken.next(offset, page.size(), found.size()));
    }

    /** A page of models, each with its latest version, aliases and stage: four catalog calls however long the page. */
    private void searchModels(MlflowParams p, Authorized reading, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<RegisteredModel> keep = modelFilter(SearchFilter.parse(p.text("filter")));
        Comparator<RegisteredModel> order = SearchOrder.models(p.texts("order_by"));
        List<RegisteredModel> found = new ArrayList<>(models.list(reading).stream().filter(keep).toList());
        found.sort(order);
        List<RegisteredModel> candidates = found.subList(Math.min(offset, found.size()), (int) Math.min((long) offset + max, found.size()));
        Map<ModelName, ModelVersion> latest = candidates.isEmpty() ? Map.of() : models.latestVersions(reading, candidates);
        Map<Long, Map<String, Long>> aliases = models.aliases(reading, candidates);
        VersionLabels labels = models.labels(reading, latest.values(), aliases);
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (RegisteredModel m : candidates) {
            ModelVersion v = latest.get(m.name());
            if (!page.add(JsonBody.json(g -> MlflowJson.model(g, m, v == null ? List.of() : List.of(v), labels,
                    aliases.getOrDefault(m.id(), Map.of()))))) {
                break;
            }
        }
        page.send(response, "registered_models", PageToken.next(offset, page.size(), found.size()));
    }

    /**
     * A page of the versions the filter keeps ({@link VersionSearch}), in the order asked for, with their aliases and
     * stages: four catalog calls however many models match.
     */
    private void searchVersions(MlflowParams p, Authorized reading, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_VERSION_RESULTS, 1, MAX_VERSION_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        SearchFilter filter = SearchFilter.parse(p.text("filter"));
        Predicate<ModelVersion> keep = VersionSearch.filter(filter);
        Comparator<ModelVersion> order = VersionSearch.order(p.texts("order_by"));
        Predicate<String> names = VersionSearch.names(filter);
        List<RegisteredModel> matching = models.list(reading).stream().filter(m -> names.test(m.name().value())).toList();
        List<ModelVersion> found = new ArrayList<>(matching.isEmpty() ? List.of()
                : models.versions(reading, matching).stream().filter(keep).toList());
        found.sort(order);
        List<ModelVersion> candidates = found.subList(Math.min(offset, found.size()), (int) Math.min((long) offset + max, found.size()));
        VersionLabels labels = models.labels(reading, candidates);
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (ModelVersion v : candidates) {
            if (!page.add(JsonBody.json(g -> MlflowJson.version(g, v, labels)))) {
                break;
            }
        }
        page.send(response, "model_versions", PageToken.next(offset, page.size(), found.size()));
    }

    /**
     * The models a filter keeps: clauses joined by {@code AND} on {@code name} and on {@code tags.<key>} (a model without
     * the tag never matches), each compared with {@code =}, {@code !=}, {@code LIKE} or {@code ILIKE}
     * ({@link VersionSearch#text}). Values are compared in normalization form C, as names are stored.
     */
    private static Predicate<RegisteredModel> modelFilter(SearchFilter filter) {
        Predicate<RegisteredModel> all = m -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            String entity = c.key().entity();
            if (entity != null && (entity.equals("tags") || entity.equals("tag"))) {
                Predicate<String> value = VersionSearch.text(c, Tag.MAX_VALUE, false);
                String key = c.key().name();
                all = all.and(m -> VersionSearch.tagValue(m.tags(), key).filter(value).isPresent());
            } else if (entity == null && c.key().name().equals("name")) {
                Predicate<String> name = VersionSearch.text(c, ModelName.MAX_LENGTH, false);
                all = all.and(m -> name.test(m.name().value()));
            } else {
                throw MlflowParams.invalid("Invalid value for parameter 'filter': only name and tags.<key> can be searched on here");
            }
        }
        return all;
    }

    /**
     * {@code get-latest-versions}: without stages, the latest version; with them, for each stage, the version a stage
     * that is a semantic version names (the MLflow client sends {@code models:/m/1.0.0} as a stage) or, for one of
     * MLflow's stage names, the latest version in that stage ({@code transition-stage}); a stage with no version adds
     * nothing, so the client reports that the model has no such version instead of loading another.
     */
    private List<ModelVersion> latestVersions(Authorized reading, @Nullable String name, List<String> stages) throws IOException {
        if (stages.isEmpty()) {
            return models.latestVersion(reading, name).map(List::of).orElse(List.of());
        }
        List<ModelVersion> all = models.versions(reading, name);
        VersionLabels labels = models.labels(reading, all);
        List<ModelVersion> out = new ArrayList<>();
        for (String stage : stages) {
            Optional<Stage> named = Stage.parse(stage);
            if (named.isPresent()) {
                Stage s = named.get();
                all.stream().filter(v -> Objects.requireNonNullElse(labels.stageOf(v), Stage.NONE) == s).max(ModelVersion.PRECEDENCE)
                        .filter(v -> !out.contains(v)).ifPresent(out::add);
            } else if (SemanticVersion.isValid(stage)) {
                SemanticVersion wanted = SemanticVersion.parse(stage);
                all.stream().filter(v -> v.version().samePrecedence(wanted)).findFirst().filter(v -> !out.contains(v)).ifPresent(out::add);
            } else if (stage.equalsIgnoreCase("latest")) {
                all.stream().max(ModelVersion.PRECEDENCE).filter(v -> !out.contains(v)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** {@code {"model_version": ...}} with the version's user aliases and its stage. */
    private void sendVersion(RegistryHttpResponse response, Authorized right, ModelVersion v) throws IOException {
        MlflowJson.sendVersion(response, v, models.labels(right, List.of(v)));
    }

    /** {@code {"registered_model": ...}} with the model's latest version. */
    private void sendModel(RegistryHttpResponse response, Authorized right, RegisteredModel m) throws IOException {
        List<ModelVersion> latest = models.latestVersion(right, m.name().value()).map(List::of).orElse(List.of());
        Map<Long, Map<String, Long>> aliases = models.aliases(right, List.of(m));
        MlflowJson.sendModel(response, m, latest, models.labels(right, latest, aliases), aliases.getOrDefault(m.id(), Map.of()));
    }

    /** {@code GET artifacts?path=<version>[/<dir>]}: MLflow's listing, relative to {@code path}, directories included. */
    private void list(Authorized reading, MlflowParams p, RegistryHttpResponse response) throws IOException {
        String path = p.text("path");
        if (path == null || path.isEmpty()) {
            throw MlflowParams.invalid("Missing value for required parameter 'path'");
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = trimmed.indexOf('/');
        ModelVersionRef version;
        try {
            version = ModelVersionRef.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
        }
        DirectoryPath dir;
        try {
            dir = slash < 0 ? DirectoryPath.TOP : DirectoryPath.parse(trimmed.substring(slash + 1));
        } catch (InvalidFilePathException e) {
            throw MlflowParams.invalid("Invalid value for parameter 'path'");
        }
        MlflowJson.sendFiles(response, registry.list(reading, version, dir));
    }

    /**
     * A file of a version: the file route's answers, never a redirect; an upload and a deletion answer MLflow's
     * {@code {}}.
     */
    private void artifact(MlflowRoute route, Caller caller, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        List<String> raw = route.rawArtifact();
        String method = request.method();
        boolean put = method.equals("PUT");
        FilePath file = RawPaths.file(raw.subList(1, raw.size()), put || method.equals("DELETE"));
        ProjectRef project = RawPaths.project(route.rawProject());
        ModelVersionRef version = RawPaths.version(raw.get(0));
        switch (method) {
            case "GET", "HEAD" -> files.download(caller, project, version, file, false, method.equals("HEAD"), request, response);
            case "PUT" -> {
                files.upload(caller, project, version, file, request);
                MlflowJson.sendEmpty(response);
            }
            case "DELETE" -> {
                // MLflow's server answers {} whether or not the path was there (mlflow/server/handlers.py,
                // _delete_artifact_mlflow_artifacts, over LocalArtifactRepository.delete_artifacts); it removes a
                // directory whole, which is refused here rather than answered as done
                if (files.delete(caller, project, version, file, request).isEmpty()
                        && !registry.list(caller, project, version, DirectoryPath.parse(file.toString())).isEmpty()) {
                    throw MlflowParams.invalid("Invalid value for parameter 'path': a directory; delete its files one by one");
                }
                MlflowJson.sendEmpty(response);
            }
            default -> throw endpointNotFound();
        }
    }

    /** The endpoint's method, or HEAD for a GET endpoint (answered as GET without the body, as MLflow's server does). */
    private static void require(String method, String expected) {
        if (!method.equals(expected) && !(method.equals("HEAD") && expected.equals("GET"))) {
            throw endpointNotFound();
        }
    }

    private static RejectedRequest endpointNotFound() {
        return new RejectedRequest(RejectedRequest.Problem.ENDPOINT_NOT_FOUND, "This endpoint is not implemented by mlregistry");
    }
}
