package org.mlregistry.core.http.mlflow;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
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
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Tag;

/**
 * GitLab's MLflow-compatible model registry API ({@code .../ml/mlflow/api/2.0/mlflow/registered-models/*},
 * {@code model-versions/*}) and MLflow's artifact routes ({@code .../mlflow-artifacts/artifacts}), over the
 * registry's {@link Models} and files. Success is always 200 with a JSON object; every endpoint not
 * implemented (experiments, runs, {@code logged-models}, {@code api/3.0/...}) answers 404
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
     * An answer's entries stop at this many bytes (the next page has the rest; a page has one entry at least): 100
     * models of 100 tags of 5,000 characters each would otherwise make one search answer over a hundred megabytes.
     */
    static final int MAX_PAGE_BYTES = 4 << 20;

    private final ModelRegistry registry;
    private final Models models;
    private final FileEndpoint files;

    /** Answers the MLflow routes of {@code registry}, its artifacts through {@code files}. */
    public MlflowHandler(ModelRegistry registry, FileEndpoint files) {
        this.registry = registry;
        this.models = registry.models();
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
                    MlflowOperation op = route.operation();
                    require(request.method(), op.method());
                    Authorized right = registry.authorize(caller, RawPaths.project(route.rawProject()), op.access());
                    request.authorized(right);
                    RequestBodies.read(request, MlflowParams.MAX_BODY, boundary,
                            body -> run(op, right, MlflowParams.of(request.rawQuery(), body), response));
                }
            }
        });
    }

    private void run(MlflowOperation op, Authorized right, MlflowParams p, RegistryHttpResponse response) throws IOException {
        switch (op) {
            case CREATE_MODEL -> MlflowJson.sendModel(response, models.create(right, p.text("name"), p.text("description"), p.tags()),
                    List.of());
            case GET_MODEL -> sendModel(response, right, models.get(right, p.text("name")));
            case UPDATE_MODEL -> sendModel(response, right, models.update(right, p.text("name"), p.text("description")));
            case DELETE_MODEL -> {
                models.delete(right, p.text("name"));
                MlflowJson.sendEmpty(response);
            }
            case SEARCH_MODELS -> searchModels(p, right, response);
            case LATEST_VERSIONS -> MlflowJson.sendVersions(response,
                    models.latestVersion(right, p.text("name")).map(List::of).orElse(List.of()));
            case GET_ALIAS -> {
                String alias = p.text("alias");
                if (alias == null || alias.isEmpty()) {
                    throw MlflowParams.invalid("Missing value for required parameter 'alias'");
                }
                if (Models.isVersionId(alias)) {
                    throw MlflowParams.invalid("Invalid value for parameter 'alias': an alias is a semantic version");
                }
                MlflowJson.sendVersion(response, models.version(right, p.text("name"), alias));
            }
            case CREATE_VERSION -> {
                List<Tag> tags = p.tags();
                String semver = tags.stream().filter(t -> t.key().equals(VERSION_TAG)).map(Tag::value).reduce((a, b) -> b)
                        .orElse(null);
                MlflowJson.sendVersion(response, models.createVersion(right, p.text("name"), semver, p.text("description"), tags));
            }
            case GET_VERSION -> MlflowJson.sendVersion(response, models.version(right, p.text("name"), p.text("version")));
            case UPDATE_VERSION -> MlflowJson.sendVersion(response, models.updateVersion(right, p.text("name"), p.text("version"),
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
        }
    }

    /** A page of models, each with its latest version: two catalog calls however long the page. */
    private void searchModels(MlflowParams p, Authorized reading, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<String> names = nameFilter(SearchFilter.parse(p.text("filter")));
        Comparator<RegisteredModel> order = SearchOrder.models(p.texts("order_by"));
        List<RegisteredModel> found = new ArrayList<>(models.list(reading).stream()
                .filter(m -> names.test(m.name().value())).toList());
        found.sort(order);
        List<RegisteredModel> candidates = found.subList(Math.min(offset, found.size()), (int) Math.min((long) offset + max, found.size()));
        Map<ModelName, ModelVersion> latest = candidates.isEmpty() ? Map.of() : models.latestVersions(reading, candidates);
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (RegisteredModel m : candidates) {
            ModelVersion v = latest.get(m.name());
            if (!page.add(JsonBody.json(g -> MlflowJson.model(g, m, v == null ? List.of() : List.of(v))))) {
                break;
            }
        }
        page.send(response, "registered_models", PageToken.next(offset, page.size(), found.size()));
    }

    /** A page of the versions of the models the filter keeps: two catalog calls however many models match. */
    private void searchVersions(MlflowParams p, Authorized reading, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<String> names = nameFilter(SearchFilter.parse(p.text("filter")));
        List<RegisteredModel> matching = models.list(reading).stream().filter(m -> names.test(m.name().value())).toList();
        List<ModelVersion> found = matching.isEmpty() ? List.of() : models.versions(reading, matching);
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (int i = offset; i < found.size() && page.size() < max; i++) {
            ModelVersion v = found.get(i);
            if (!page.add(JsonBody.json(g -> MlflowJson.version(g, v)))) {
                break;
            }
        }
        page.send(response, "model_versions", PageToken.next(offset, page.size(), found.size()));
    }

    /**
     * The names a filter keeps: clauses on {@code name} ({@code =}, {@code !=}, {@code LIKE}, {@code ILIKE}) joined by
     * {@code AND}. Values are compared in normalization form C, as names are stored.
     */
    private static Predicate<String> nameFilter(SearchFilter filter) {
        Predicate<String> all = name -> true;
        for (SearchFilter.Clause c : filter.clauses()) {
            if (c.key().entity() != null || !c.key().name().equals("name")) {
                throw MlflowParams.invalid("Invalid value for parameter 'filter': only name can be searched on here");
            }
            if (!c.value().quoted()) {
                throw MlflowParams.invalid("Invalid value for parameter 'filter': a name is a quoted string");
            }
            String value = Normalizer.normalize(c.value().text(), Normalizer.Form.NFC);
            Predicate<String> clause = switch (c.op()) {
                case EQ -> value::equals;
                case NE -> name -> !name.equals(value);
                case LIKE -> LikePattern.compile(value, false, ModelName.MAX_LENGTH)::matches;
                case ILIKE -> LikePattern.compile(value, true, ModelName.MAX_LENGTH)::matches;
                case LT, LE, GT, GE, IN, NOT_IN -> throw MlflowParams.invalid(
                        "Invalid value for parameter 'filter': name is compared with =, !=, LIKE or ILIKE");
            };
            all = all.and(clause);
        }
        return all;
    }

    /** {@code {"registered_model": ...}} with the model's latest version. */
    private void sendModel(RegistryHttpResponse response, Authorized right, RegisteredModel m) throws IOException {
        MlflowJson.sendModel(response, m, models.latestVersion(right, m.name().value()).map(List::of).orElse(List.of()));
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
