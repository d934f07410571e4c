package org.mlregistry.core.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Models;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.InvalidFilePathException;
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
 * {@code ENDPOINT_NOT_FOUND} at once. Artifact downloads are the file route's, with its HTTP semantics,
 * but never a redirect: MLflow clients do not follow one and would store its body as the file.
 */
final class MlflowHandler {

    /** The version tag by which GitLab's MLflow clients choose a version's semantic version. */
    static final String VERSION_TAG = "gitlab.version";
    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_RESULTS = 1000;

    private static final Pattern NAME_EQUALS = Pattern.compile("\\s*name\\s*=\\s*'([^']*)'\\s*");
    private static final Pattern NAME_LIKE = Pattern.compile("\\s*name\\s+(LIKE|ILIKE)\\s+'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ORDER = Pattern.compile("\\s*(name|last_updated_timestamp|timestamp)(?:\\s+(ASC|DESC))?\\s*",
            Pattern.CASE_INSENSITIVE);

    /** The file route's download and upload, which the artifact routes share. */
    interface Files {
        void serve(Route route, Caller caller, boolean head, boolean allowRedirect, RegistryHttpRequest request,
                   RegistryHttpResponse response) throws IOException;

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

    void handle(MlflowRoute route, Caller caller, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        String method = request.method();
        switch (route.kind()) {
            case UNKNOWN -> throw endpointNotFound();
            case ARTIFACT -> artifact(route, caller, method, request, response);
            case ARTIFACT_LIST -> {
                require(method, "GET");
                list(RouteParser.project(route.rawProject()), caller, MlflowParams.read(request), response);
            }
            case REGISTERED_MODELS -> registeredModels(route.operation(), method, RouteParser.project(route.rawProject()), caller,
                    request, response);
            case MODEL_VERSIONS -> modelVersions(route.operation(), method, RouteParser.project(route.rawProject()), caller,
                    request, response);
        }
    }

    private void registeredModels(String op, String method, ProjectRef project, Caller caller, RegistryHttpRequest request,
                                  RegistryHttpResponse response) throws IOException {
        switch (op) {
            case "create" -> {
                require(method, "POST");
                MlflowParams p = MlflowParams.read(request);
                RegisteredModel m = models.create(caller, project, p.text("name"), p.text("description"), p.tags());
                MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(MlflowJson.RegisteredModelJson.of(m, List.of())));
            }
            case "get" -> {
                require(method, "GET");
                MlflowParams p = MlflowParams.read(request);
                MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(json(caller, project,
                        models.get(caller, project, p.text("name")))));
            }
            case "update" -> {
                require(method, "PATCH");
                MlflowParams p = MlflowParams.read(request);
                RegisteredModel m = models.update(caller, project, p.text("name"), p.text("description"));
                MlflowJson.send(response, new MlflowJson.RegisteredModelResponse(json(caller, project, m)));
            }
            case "delete" -> {
                require(method, "DELETE");
                models.delete(caller, project, MlflowParams.read(request).text("name"));
                MlflowJson.send(response, MlflowJson.EMPTY);
            }
            case "search" -> {
                require(method, "GET");
                searchModels(MlflowParams.read(request), caller, project, response);
            }
            case "get-latest-versions" -> {
                require(method, "POST");
                List<ModelVersion> latest = models.latestVersion(caller, project, MlflowParams.read(request).text("name"))
                        .map(List::of).orElse(List.of());
                MlflowJson.send(response, new MlflowJson.ModelVersionsResponse(
                        latest.stream().map(MlflowJson.ModelVersionJson::of).toList(), null));
            }
            case "alias" -> {
                require(method, "GET");
                MlflowParams p = MlflowParams.read(request);
                String alias = p.text("alias");
                if (alias == null || alias.isEmpty()) {
                    throw MlflowParams.invalid("Missing value for required parameter 'alias'");
                }
                if (alias.chars().allMatch(Character::isDigit)) {
                    throw MlflowParams.invalid("Invalid value for parameter 'alias': an alias is a semantic version");
                }
                versionResponse(response, models.version(caller, project, p.text("name"), alias));
            }
            default -> throw endpointNotFound();
        }
    }

    private void modelVersions(String op, String method, ProjectRef project, Caller caller, RegistryHttpRequest request,
                               RegistryHttpResponse response) throws IOException {
        switch (op) {
            case "create" -> {
                require(method, "POST");
                MlflowParams p = MlflowParams.read(request);
                List<Tag> tags = p.tags();
                String semver = tags.stream().filter(t -> t.key().equals(VERSION_TAG)).map(Tag::value).reduce((a, b) -> b)
                        .orElse(null);
                versionResponse(response, models.createVersion(caller, project, p.text("name"), semver, p.text("description"), tags));
            }
            case "get" -> {
                require(method, "GET");
                MlflowParams p = MlflowParams.read(request);
                versionResponse(response, models.version(caller, project, p.text("name"), p.text("version")));
            }
            case "update" -> {
                require(method, "PATCH");
                MlflowParams p = MlflowParams.read(request);
                versionResponse(response, models.updateVersion(caller, project, p.text("name"), p.text("version"),
                        p.text("description")));
            }
            case "delete" -> {
                require(method, "DELETE");
                MlflowParams p = MlflowParams.read(request);
                models.deleteVersion(caller, project, p.text("name"), p.text("version"));
                MlflowJson.send(response, MlflowJson.EMPTY);
            }
            case "get-download-uri" -> {
                require(method, "GET");
                MlflowParams p = MlflowParams.read(request);
                ModelVersion v = models.version(caller, project, p.text("name"), p.text("version"));
                MlflowJson.send(response, new MlflowJson.DownloadUriResponse(MlflowJson.artifactUri(v)));
            }
            case "search" -> {
                require(method, "GET");
                searchVersions(MlflowParams.read(request), caller, project, response);
            }
            default -> throw endpointNotFound();
        }
    }

    private void searchModels(MlflowParams p, Caller caller, ProjectRef project, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = offset(p.text("page_token"));
        Predicate<String> names = nameFilter(p.text("filter"));
        List<RegisteredModel> found = new ArrayList<>(models.list(caller, project).stream()
                .filter(m -> names.test(m.name().value())).toList());
        found.sort(order(p.texts("order_by")));
        List<MlflowJson.RegisteredModelJson> page = new ArrayList<>();
        for (RegisteredModel m : found.subList(Math.min(offset, found.size()), Math.min(offset + max, found.size()))) {
            page.add(json(caller, project, m));
        }
        MlflowJson.send(response, new MlflowJson.RegisteredModelsResponse(page, nextToken(offset, max, found.size())));
    }

    private void searchVersions(MlflowParams p, Caller caller, ProjectRef project, RegistryHttpResponse response) throws IOException {
        int max = p.number("max_results", DEFAULT_MAX_RESULTS, 1, MAX_RESULTS);
        int offset = offset(p.text("page_token"));
        Predicate<String> names = nameFilter(p.text("filter"));
        List<ModelVersion> found = new ArrayList<>();
        for (RegisteredModel m : models.list(caller, project)) {
            if (names.test(m.name().value())) {
                found.addAll(models.versions(caller, project, m.name().value()));
            }
        }
        found.sort(Comparator.comparingLong(ModelVersion::id));
        List<MlflowJson.ModelVersionJson> page = found.subList(Math.min(offset, found.size()), Math.min(offset + max, found.size()))
                .stream().map(MlflowJson.ModelVersionJson::of).toList();
        MlflowJson.send(response, new MlflowJson.ModelVersionsResponse(page, nextToken(offset, max, found.size())));
    }

    /** {@code name='x'}, {@code name LIKE 'x%'}, {@code name ILIKE 'x%'}, or nothing. */
    private static Predicate<String> nameFilter(@Nullable String filter) {
        if (filter == null || filter.isBlank()) {
            return name -> true;
        }
        Matcher equals = NAME_EQUALS.matcher(filter);
        if (equals.matches()) {
            String wanted = equals.group(1);
            return wanted::equals;
        }
        Matcher like = NAME_LIKE.matcher(filter);
        if (like.matches()) {
            StringBuilder regex = new StringBuilder();
            for (char c : like.group(2).toCharArray()) {
                regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
            }
            int flags = like.group(1).equalsIgnoreCase("ILIKE") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            Pattern p = Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
            return name -> p.matcher(name).matches();
        }
        throw MlflowParams.invalid("Invalid value for parameter 'filter': supported are name='x' and name LIKE 'x%'");
    }

    private static Comparator<RegisteredModel> order(List<String> orderBy) {
        Comparator<RegisteredModel> byName = Comparator.comparing(m -> m.name().value());
        Comparator<RegisteredModel> result = null;
        for (String clause : orderBy) {
            Matcher m = ORDER.matcher(clause);
            if (!m.matches()) {
                throw MlflowParams.invalid("Invalid value for parameter 'order_by': use name or last_updated_timestamp, ASC or DESC");
            }
            Comparator<RegisteredModel> c = m.group(1).equalsIgnoreCase("name") ? byName
                    : Comparator.comparing(RegisteredModel::updated);
            if (m.group(2) != null && m.group(2).equalsIgnoreCase("DESC")) {
                c = c.reversed();
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? byName : result.thenComparing(byName);
    }

    /** Page tokens are opaque to clients: the offset, Base64url-encoded. */
    private static int offset(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (decoded.startsWith("offset:")) {
                int n = Integer.parseInt(decoded.substring("offset:".length()));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw MlflowParams.invalid("Invalid value for parameter 'page_token'");
    }

    private static @Nullable String nextToken(int offset, int max, int total) {
        long next = (long) offset + max;
        return next < total ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + next).getBytes(StandardCharsets.US_ASCII)) : null;
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
