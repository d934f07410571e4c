package org.mlregistry.core.http;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.mlregistry.core.Access;
import org.mlregistry.core.Models;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ModelFile;

/**
 * GitLab's MLflow-compatible model registry API ({@code .../ml/mlflow/api/2.0/mlflow/registered-models/*},
 * {@code model-versions/*}) and MLflow's artifact routes ({@code .../mlflow-artifacts/artifacts}), over the
 * registry's {@link Models} and files. Success is always 200 with a JSON object; every endpoint not
 * implemented (experiments, runs, {@code logged-models}, {@code api/3.0/...}) answers 404
 * {@code ENDPOINT_NOT_FOUND} at once. Searches are bounded: filters by {@link SearchFilter} (linear-time
 * {@code LIKE}), orderings by {@link SearchOrder}, pages by count and by {@value #MAX_PAGE_BYTES} bytes. Artifact downloads are the file route's, with its HTTP semantics,
 * but never a redirect: MLflow clients do not follow one and would store its body as the file.
 */
final class MlflowHandler {

    /** The version tag by which GitLab's MLflow clients choose a version's semantic version. */
    static final String VERSION_TAG = "gitlab.version";
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_RESULTS = 1000;
    /**
     * An answer's entries stop at this many bytes (the next page has the rest; a page has one entry at least): 100
     * models of 100 tags of 5,000 characters each would otherwise make one search answer over a hundred megabytes.
     */
    static final int MAX_PAGE_BYTES = 4 << 20;

    /** The file route's download and upload, which the artifact and Hugging Face routes share. */
    interface Files {
        void serve(Route route, Caller caller, boolean head, boolean allowRedirect, RegistryHttpRequest request,
                   RegistryHttpResponse response) throws IOException;

        /**
         * Answers with {@code file}, found by the caller.
         *
         * @throws java.nio.file.NoSuchFileException before anything is sent, when the file changed since it was found
         */
        void respond(ModelFile file, String fileName, boolean head, RegistryHttpRequest request, RegistryHttpResponse response)
                throws IOException;

        void store(Route route, Caller caller, RegistryHttpRequest request) throws IOException;
    }

    private final Models models;
    private final ModelRegistry registry;
    private final Files files;

    MlflowHandler(ModelRegistry registry, Files files) {
        this.registry = registry;
        this.models = registry.models();
        this.files = files;
    }

    /**
     * Answers a request on an MLflow route. Method, credentials, project and permission are decided before the body
     * is read or a parameter parsed; what comes after may run later, on another thread, inside {@code guard}.
     */
    void handle(MlflowRoute route, Caller caller, RegistryHttpRequest request, RegistryHttpResponse response,
                RequestBodies.Guard guard) throws IOException {
        switch (route.kind()) {
            case UNKNOWN -> throw endpointNotFound();
            case ARTIFACT -> artifact(route, caller, request.method(), request, response);
            case ARTIFACT_LIST -> {
                require(request.method(), "GET");
                ProjectRef project = RouteParser.project(route.rawProject());
                registry.checkAccess(caller, project, Access.READ);
                RequestBodies.read(request, MlflowParams.MAX_BODY, guard,
                        body -> list(project, caller, MlflowParams.of(request.rawQuery(), body), response));
            }
            case OPERATION -> {
                MlflowOperation op = route.operation();
                require(request.method(), op.method());
                ProjectRef project = RouteParser.project(route.rawProject());
                registry.checkAccess(caller, project, op.access());
                RequestBodies.read(request, MlflowParams.MAX_BODY, guard,
                        body -> run(op, project, caller, MlflowParams.of(request.rawQuery(), body), response));
            }
        }
    }

    private void run(MlflowOperation op, ProjectRef project, Caller caller, MlflowParams p, RegistryHttpResponse response)
            throws IOException {
        switch (op) {
            case CREATE_MODEL -> {
                RegisteredModel m = models.create(caller, project, p.text("name"), p.text("description"), p.tags());
                MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(MlflowJson.RegisteredModelJson.of(m, List.of())));
            }
            case GET_MODEL -> MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(json(caller, project,
                    models.get(caller, project, p.text("name")))));
            case UPDATE_MODEL -> {
                RegisteredModel m = models.update(caller, project, p.text("name"), p.text("description"));
                MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(json(caller, project, m)));
            }
            case DELETE_MODEL -> {
                models.delete(caller, project, p.text("name"));
                MlflowJson.send(response, MlflowJson.EMPTY);
            }
            case SEARCH_MODELS -> searchModels(p, caller, project, response);
            case LATEST_VERSIONS -> {
                List<ModelVersion> latest = models.latestVersion(caller, project, p.text("name")).map(List::of).orElse(List.of());
                MlflowJson.send(response, new MlflowJson.ModelVersionsResponse(
                        latest.stream().map(MlflowJson.ModelVersionJson::of).toList(), null));
            }
            case GET_ALIAS -> {
                String alias = p.text("alias");
                if (alias == null || alias.isEmpty()) {
                    throw MlflowParams.invalid("Missing value for required parameter 'alias'");
                }
                if (Models.isVersionId(alias)) {
                    throw MlflowParams.invalid("Invalid value for parameter 'alias': an alias is a semantic version");
                }
                versionResponse(response, models.version(caller, project, p.text("name"), alias));
            }
            case CREATE_VERSION -> {
                List<Tag> tags = p.tags();
                String semver = tags.stream().filter(t -> t.key().equals(VERSION_TAG)).map(Tag::value).reduce((a, b) -> b)
                        .orElse(null);
                versionResponse(response, models.createVersion(caller, project, p.text("name"), semver, p.text("description"), tags));
            }
            case GET_VERSION -> versionResponse(response, models.version(caller, project, p.text("name"), p.text("version")));
            case UPDATE_VERSION -> versionResponse(response, models.updateVersion(caller, project, p.text("name"),
                    p.text("version"), p.text("description")));
            case DELETE_VERSION -> {
                models.deleteVersion(caller, project, p.text("name"), p.text("version"));
                MlflowJson.send(response, MlflowJson.EMPTY);
            }
            case DOWNLOAD_URI -> {
                ModelVersion v = models.version(caller, project, p.text("name"), p.text("version"));
                MlflowJson.send(response, new MlflowJson.DownloadUriResponse(MlflowJson.artifactUri(v)));
            }
            case SEARCH_VERSIONS -> searchVersions(p, caller, project, response);
        }
    }

    private void searchModels(MlflowParams p, Caller caller, ProjectRef project, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<String> names = nameFilter(SearchFilter.parse(p.text("filter")));
        Comparator<RegisteredModel> order = SearchOrder.models(p.texts("order_by"));
        List<RegisteredModel> found = new ArrayList<>(models.list(caller, project).stream()
                .filter(m -> names.test(m.name().value())).toList());
        found.sort(order);
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (int i = offset; i < found.size() && page.size() < max; i++) {
            if (!page.add(MlflowJson.MAPPER.writeValueAsBytes(json(caller, project, found.get(i))))) {
                break;
            }
        }
        page.send(response, "registered_models", PageToken.next(offset, page.size(), found.size()));
    }

    private void searchVersions(MlflowParams p, Caller caller, ProjectRef project, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = PageToken.offset(p.text("page_token"));
        Predicate<String> names = nameFilter(SearchFilter.parse(p.text("filter")));
        List<ModelVersion> found = new ArrayList<>();
        for (RegisteredModel m : models.list(caller, project)) {
            if (names.test(m.name().value())) {
                found.addAll(models.versions(caller, project, m.name().value()));
            }
        }
        found.sort(Comparator.comparingLong(ModelVersion::id));
        JsonPage page = new JsonPage(MAX_PAGE_BYTES);
        for (int i = offset; i < found.size() && page.size() < max; i++) {
            if (!page.add(MlflowJson.MAPPER.writeValueAsBytes(MlflowJson.ModelVersionJson.of(found.get(i))))) {
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

    private MlflowJson.RegisteredModelJson json(Caller caller, ProjectRef project, RegisteredModel m) throws IOException {
        List<ModelVersion> latest = models.latestVersion(caller, project, m.name().value()).map(List::of).orElse(List.of());
        return MlflowJson.RegisteredModelJson.of(m, latest);
    }

    private static void versionResponse(RegistryHttpResponse response, ModelVersion v) throws IOException {
        MlflowJson.send(response, new MlflowJson.ModelVersionResponse(MlflowJson.ModelVersionJson.of(v)));
    }

    /** {@code GET artifacts?path=<version>[/<dir>]}: MLflow's listing, relative to {@code path}, directories included. */
    private void list(ProjectRef project, Caller caller, MlflowParams p, RegistryHttpResponse response) throws IOException {
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
            throw new RegistryException(org.mlregistry.core.Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
        }
        DirectoryPath dir;
        try {
            dir = slash < 0 ? DirectoryPath.TOP : DirectoryPath.parse(trimmed.substring(slash + 1));
        } catch (InvalidFilePathException e) {
            throw MlflowParams.invalid("Invalid value for parameter 'path'");
        }
        List<FileEntry> entries = registry.list(caller, project, version, dir);
        MlflowJson.send(response, new MlflowJson.FilesResponse(entries.stream().map(MlflowJson.FileJson::of).toList()));
    }

    private void artifact(MlflowRoute route, Caller caller, String method, RegistryHttpRequest request,
                          RegistryHttpResponse response) throws IOException {
        List<String> raw = route.rawArtifact();
        boolean put = method.equals("PUT");
        FilePath file;
        try {
            file = RouteParser.filePath(raw.subList(1, raw.size()));
        } catch (RejectedRequest e) {
            if (!put && e.problem() == RejectedRequest.Problem.PATH_TOO_LONG) {
                throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
            }
            throw e;
        }
        Route fileRoute = new Route(RouteParser.project(route.rawProject()), RouteParser.version(raw.get(0)), file);
        switch (method) {
            case "GET", "HEAD" -> files.serve(fileRoute, caller, method.equals("HEAD"), false, request, response);
            case "PUT" -> {
                files.store(fileRoute, caller, request);
                MlflowJson.send(response, MlflowJson.EMPTY);
            }
            default -> throw endpointNotFound();
        }
    }

    private static void require(String method, String expected) {
        if (!method.equals(expected)) {
            throw endpointNotFound();
        }
    }

    private static RejectedRequest endpointNotFound() {
        return new RejectedRequest(RejectedRequest.Problem.ENDPOINT_NOT_FOUND, "This endpoint is not implemented by mlregistry");
    }
}
