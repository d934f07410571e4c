package org.mlregistry.core.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.HubRepos;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ModelFile;
import org.jspecify.annotations.Nullable;

/**
 * The read-only endpoints Hugging Face clients call under {@code /projects/:id/hf} (the client's
 * {@code HF_ENDPOINT}): {@code resolve} (the file route's bytes, ranges and validators, plus
 * {@code X-Repo-Commit}, {@code X-Linked-Etag} and {@code X-Linked-Size}; never a redirect), the model
 * info, and the tree listing. Every refusal carries the {@code X-Error-Code} the client maps to its own
 * errors ({@link HubErrors}).
 */
final class HubHandler {

    private final ModelRegistry registry;
    private final MlflowHandler.Files files;
    private final @Nullable URI publicApi;

    HubHandler(ModelRegistry registry, MlflowHandler.Files files, @Nullable URI publicApi) {
        this.registry = registry;
        this.files = files;
        this.publicApi = publicApi;
    }

    /** How often a resolve looks again when the file it found is not the one its revision lists. */
    static final int MAX_LOOKUPS = 3;

    void handle(HubRoute route, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        HubSnapshot[] snapshot = new HubSnapshot[1]; // the revision, once resolved: named by a refusal of a missing entry
        try {
            String method = request.method();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
            if (route.kind() == HubRoute.Kind.UNKNOWN) {
                throw new RejectedRequest(RejectedRequest.Problem.ENDPOINT_NOT_FOUND, "This endpoint is not implemented by mlregistry");
            }
            if (route.kind() == HubRoute.Kind.BAD_REPO_ID) {
                throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Repository not found");
            }
            ProjectRef project = RouteParser.project(route.rawProject());
            Caller caller = CredentialExtractor.extract(request);
            String repoId = repoId(route);
            String revision = revision(route.rawRevision());
            switch (route.kind()) {
                case RESOLVE -> resolve(project, caller, repoId, revision, filePath(route.rawPath()), head, request, response, snapshot);
                case INFO, REVISION -> HubJson.send(response, HubJson.info(registry.hub().snapshot(caller, project, repoId, revision)));
                case TREE -> tree(registry.hub().snapshot(caller, project, repoId, revision), route, request, response, publicApi);
                case BAD_REPO_ID, UNKNOWN -> throw new IllegalStateException("answered above");
            }
        } catch (RegistryException e) {
            HubErrors.write(e, response);
        } catch (RejectedRequest e) {
            HubErrors.write(e, response, snapshot[0]);
        }
    }

    /**
     * The file at {@code path} of the revision, with headers that name the bytes sent: the file found must have the
     * digest the revision lists (else it was replaced since the revision was listed). A revision named by its commit
     * pins that content: when the file there now is another, the commit no longer resolves. {@code main} or a version
     * is listed again, up to {@value #MAX_LOOKUPS} times.
     */
    private void resolve(ProjectRef project, Caller caller, String repoId, String revision, FilePath path, boolean head,
                         RegistryHttpRequest request, RegistryHttpResponse response, HubSnapshot[] resolved) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HubSnapshot snapshot = registry.hub().snapshot(caller, project, repoId, revision);
            resolved[0] = snapshot;
            HubFile listed = snapshot.file(path).orElseThrow(() -> new RejectedRequest(RejectedRequest.Problem.NOT_FOUND));
            Optional<ModelFile> found = registry.download(caller, project, snapshot.version().ref(), path);
            try {
                if (found.isPresent() && found.get().sha256().equals(listed.sha256())) {
                    response.header("X-Repo-Commit", snapshot.commit());
                    response.header("X-Linked-Etag", "\"" + listed.sha256().hex() + "\"");
                    response.header("X-Linked-Size", Long.toString(listed.size()));
                    files.respond(found.get(), path.fileName(), head, request, response);
                    return;
                }
            } catch (NoSuchFileException e) {
                // removed or replaced while it was hashed, or between lookup and open: nothing was sent; look again
            }
            registry.hub().changed(snapshot.version().id());
            if (HubRepos.isCommit(revision)) {
                throw new RegistryException(Refusal.REVISION_NOT_FOUND, "Invalid rev id: " + revision);
            }
            if (attempt == MAX_LOOKUPS) {
                throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
            }
        }
    }

    private static void tree(HubSnapshot snapshot, HubRoute route, RegistryHttpRequest request, RegistryHttpResponse response,
                             @Nullable URI publicApi) throws IOException {
        HubQuery query = HubQuery.parse(request.rawQuery());
        List<String> directory = treePath(route.rawPath());
        List<HubJson.TreeEntry> entries = HubJson.tree(snapshot, directory, query.recursive());
        int from = Math.min(query.cursor(), entries.size());
        int to = (int) Math.min((long) from + query.limit(), entries.size());
        if (to < entries.size()) {
            // absolute under the configured public URL, else a reference to this same path with the next query
            String path = request.rawPath().startsWith(RouteParser.API_PREFIX + "/")
                    ? request.rawPath().substring(RouteParser.API_PREFIX.length()) : request.rawPath();
            String target = (publicApi == null ? "" : publicApi + path) + "?" + query.withCursor(to);
            response.header("Link", "<" + target + ">; rel=\"next\"");
        }
        HubJson.send(response, HubJson.treePage(entries.subList(from, to)));
    }

    /** A path too long to store names no file, as on the file route. */
    private static FilePath filePath(List<String> raw) {
        try {
            return RouteParser.filePath(raw);
        } catch (RejectedRequest e) {
            throw e.problem() == RejectedRequest.Problem.PATH_TOO_LONG ? new RejectedRequest(RejectedRequest.Problem.NOT_FOUND) : e;
        }
    }

    /** {@code ns/model} from two raw segments, each decoded once; what cannot be decoded names no repository. */
    private static String repoId(HubRoute route) {
        try {
            return PercentDecoding.decode(route.rawNamespace()) + "/" + PercentDecoding.decode(route.rawModel());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Repository not found");
        }
    }

    private static String revision(String raw) {
        try {
            return PercentDecoding.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Refusal.REVISION_NOT_FOUND, "Invalid rev id");
        }
    }

    /**
     * The directory a tree request names: its raw segments decoded once each, so that the client's
     * {@code quote(path, safe="")} ({@code sub%2Fdir}) and plain slashes name the same directory.
     */
    private static List<String> treePath(List<String> raw) {
        if (raw.isEmpty() || (raw.size() == 1 && raw.get(0).isEmpty())) {
            return List.of();
        }
        List<String> segments = new ArrayList<>();
        for (String r : raw) {
            String decoded;
            try {
                decoded = PercentDecoding.decode(r);
            } catch (IllegalArgumentException e) {
                throw new RejectedRequest(RejectedRequest.Problem.INVALID_PATH);
            }
            segments.addAll(Arrays.asList(decoded.split("/", -1)));
        }
        if (segments.size() > FilePath.MAX_DEPTH || !segments.stream().allMatch(FilePath::isValidSegment)) {
            throw new RejectedRequest(RejectedRequest.Problem.INVALID_PATH);
        }
        return segments;
    }
}
