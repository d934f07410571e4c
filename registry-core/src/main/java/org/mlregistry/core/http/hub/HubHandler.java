package org.mlregistry.core.http.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.HubRepos;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.CredentialExtractor;
import org.mlregistry.core.http.base.ErrorBoundary;
import org.mlregistry.core.http.base.FileEndpoint;
import org.mlregistry.core.http.base.PercentDecoding;
import org.mlregistry.core.http.base.RawPaths;
import org.mlregistry.core.http.base.RejectedRequest;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.HubFile;
import org.mlregistry.core.model.HubSnapshot;
import org.mlregistry.core.model.ProjectRef;

/**
 * The read-only endpoints Hugging Face clients call under {@code /projects/:id/hf} (the client's
 * {@code HF_ENDPOINT}): {@code resolve} (the file route's bytes, ranges and validators, plus
 * {@code X-Repo-Commit}, {@code X-Linked-Etag} and {@code X-Linked-Size}; never a redirect), the model
 * info, and the tree listing. Every refusal carries the {@code X-Error-Code} the client maps to its own
 * errors ({@link HubDialect}).
 */
public final class HubHandler {

    /** How often a resolve looks again when the file it found is not the one its revision lists. */
    static final int MAX_LOOKUPS = 3;

    private final ModelRegistry registry;
    private final FileEndpoint files;
    private final @Nullable URI publicApi;

    /** Answers the Hub endpoints of {@code registry}, files through {@code files}; {@code publicApi}: see {@code RegistryHttpHandler}. */
    public HubHandler(ModelRegistry registry, FileEndpoint files, @Nullable URI publicApi) {
        this.registry = registry;
        this.files = files;
        this.publicApi = publicApi;
    }

    /** Answers a request on a Hub route: refusals in {@link HubDialect}'s words. */
    public void handle(HubRoute route, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        new ErrorBoundary(HubDialect.INSTANCE, request, response).run(() -> {
            String method = request.method();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                throw new RejectedRequest(RejectedRequest.Problem.METHOD_NOT_ALLOWED);
            }
            switch (route.kind()) {
                case UNKNOWN -> throw new RejectedRequest(RejectedRequest.Problem.ENDPOINT_NOT_FOUND,
                        "This endpoint is not implemented by mlregistry");
                case BAD_REPO_ID -> throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Repository not found");
                case RESOLVE -> {
                    Target t = target(route, request);
                    resolve(t, Objects.requireNonNull(t.path()), head, request, response);
                }
                case INFO, REVISION -> {
                    Target t = target(route, request);
                    HubJson.send(response, HubJson.info(registry.hub().snapshot(t.reading(), t.repoId(), t.revision())));
                }
                case TREE -> {
                    Target t = target(route, request);
                    tree(registry.hub().snapshot(t.reading(), t.repoId(), t.revision()), route, request, response, publicApi);
                }
            }
        });
    }

    /** What a request names, judged in order (project, credentials, repository, revision, file path), then authorized. */
    private record Target(Authorized reading, String repoId, String revision, @Nullable FilePath path) {
    }

    private Target target(HubRoute route, RegistryHttpRequest request) throws IOException {
        ProjectRef project = RawPaths.project(route.rawProject());
        Caller caller = CredentialExtractor.extract(request);
        String repoId = repoId(route);
        String revision = revision(route.rawRevision());
        FilePath path = route.kind() == HubRoute.Kind.RESOLVE ? RawPaths.fileToRead(route.rawPath()) : null;
        Authorized reading = registry.authorize(caller, project, Access.READ);
        request.authorized(reading);
        if (path != null) {
            request.file(path);
        }
        return new Target(reading, repoId, revision, path);
    }

    /**
     * The file at {@code path} of the revision, with headers that name the bytes sent: the file found must have the
     * digest the revision lists (else it was replaced since the revision was listed). A revision named by its commit
     * pins that content: when the file there now is another, the commit no longer resolves. {@code main} or a version
     * is listed again, up to {@value #MAX_LOOKUPS} times. A missing entry names the revision's commit.
     */
    private void resolve(Target target, FilePath path, boolean head, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        String revision = target.revision();
        for (int attempt = 1; ; attempt++) {
            HubRepos.Resolved found = registry.hub().resolve(target.reading(), target.repoId(), revision, path);
            HubSnapshot snapshot = found.snapshot();
            HubFile listed = found.listed().orElseThrow(() -> entryNotFound(snapshot, response));
            try {
                if (found.stored().isPresent() && found.stored().get().sha256().equals(listed.sha256())) {
                    response.header("X-Repo-Commit", snapshot.commit());
                    response.header("X-Linked-Etag", "\"" + listed.sha256().hex() + "\"");
                    response.header("X-Linked-Size", Long.toString(listed.size()));
                    files.respond(found.stored().get(), path.fileName(), head, request, response);
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
                throw entryNotFound(snapshot, response);
            }
        }
    }

    /** The refusal of a file the revision does not have, which names the revision's commit for the client to record. */
    private static RejectedRequest entryNotFound(HubSnapshot snapshot, RegistryHttpResponse response) {
        response.header("X-Repo-Commit", snapshot.commit());
        return new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
    }

    private static void tree(HubSnapshot snapshot, HubRoute route, RegistryHttpRequest request, RegistryHttpResponse response,
                             @Nullable URI publicApi) throws IOException {
        HubQuery query = HubQuery.parse(request.rawQuery());
        List<String> directory = treePath(route.rawPath());
        List<HubJson.TreeEntry> entries = HubJson.tree(snapshot, directory, query.recursive());
        int from = Math.min(query.cursor(), entries.size());
        int to = (int) Math.min((long) from + query.limit(), entries.size());
        if (to < entries.size()) {
            // absolute under the client's view (a trusted proxy's), else the configured public URL, else a reference to
            // this same path with the next query
            String path = RawPaths.withoutPrefix(request.rawPath());
            URI base = request.clientBase() != null ? request.clientBase() : publicApi;
            String target = (base == null ? "" : base + path) + "?" + query.withCursor(to);
            response.header("Link", "<" + target + ">; rel=\"next\"");
        }
        HubJson.send(response, HubJson.treePage(entries.subList(from, to)));
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
