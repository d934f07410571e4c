package org.mlregistry.core.http.base;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.mlregistry.core.Access;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ModelFile;

/**
 * A model file over HTTP, the same for every protocol that reaches one (GitLab's file route, MLflow's artifacts,
 * Hugging Face's {@code resolve}): the caller is authorized once, the file found once (again only when it changed
 * between lookup and open), then answered with full HTTP content semantics ({@link DownloadResponder}) or stored
 * from the request body with every refusal decided before the first body byte is read.
 *
 * <p>Threading: immutable and safe for concurrent use.
 */
public final class FileEndpoint {

    /** How often a download looks a file up again when it changes between lookup and open. */
    public static final int MAX_LOOKUPS = 3;

    private final ModelRegistry registry;
    private final DownloadResponder downloads;

    /** Serves the files of {@code registry}; {@code clock} supplies the {@code Date} header. */
    public FileEndpoint(ModelRegistry registry, Clock clock) {
        this.registry = registry;
        this.downloads = new DownloadResponder(clock, () -> ThreadLocalRandom.current().nextLong());
    }

    /**
     * Answers GET or HEAD for a file; {@code allowRedirect} lets a store that signs URLs redirect (GitLab's direct
     * download; MLflow and Hugging Face clients get the bytes).
     */
    public void download(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path, boolean allowRedirect,
                         boolean head, RegistryHttpRequest request, RegistryHttpResponse response) throws IOException {
        Authorized reading = registry.authorize(caller, project, Access.READ);
        request.authorized(reading);
        request.file(path);
        for (int attempt = 1; ; attempt++) {
            Optional<ModelFile> found = registry.download(reading, version, path);
            ModelFile file = found.orElseThrow(() -> new RejectedRequest(RejectedRequest.Problem.NOT_FOUND));
            Optional<URI> redirect = allowRedirect ? file.redirect() : Optional.empty();
            if (redirect.isPresent()) {
                redirect(redirect.get(), response);
                return;
            }
            try {
                respond(file, path.fileName(), head, request, response);
                return;
            } catch (NoSuchFileException e) {
                // deleted, or replaced by a new upload, between lookup and open: nothing was sent yet, so
                // look again and answer for what is there now; give up as absent if it keeps changing
                if (attempt == MAX_LOOKUPS) {
                    throw new RejectedRequest(RejectedRequest.Problem.NOT_FOUND);
                }
            }
        }
    }

    /**
     * Answers with {@code file}, found by an authorized caller.
     *
     * @throws NoSuchFileException before anything is sent, when the file changed since it was found
     */
    public void respond(ModelFile file, String fileName, boolean head, RegistryHttpRequest request, RegistryHttpResponse response)
            throws IOException {
        downloads.respond(file, fileName, request, response, head);
    }

    /**
     * Stores the request body as the file. Every refusal (the request's framing, credentials, permission, declared
     * size) comes before the first read, so a client that sent {@code Expect: 100-continue} gets it without sending
     * the body.
     */
    public void upload(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path, RegistryHttpRequest request)
            throws IOException {
        upload(caller, project, version, path, request, false);
    }

    /** As above; with {@code statusParameter}, the file route's {@code status} query parameter is judged too. */
    public void upload(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path, RegistryHttpRequest request,
                       boolean statusParameter) throws IOException {
        long size = RequestBodies.declaredLength(request);
        Declared declared = new Declared(size, DigestHeaders.sha256(request).orElse(null));
        Authorized writing = registry.authorize(caller, project, Access.WRITE);
        request.authorized(writing);
        request.file(path);
        if (statusParameter) {
            UploadStatus.check(request.rawQuery());
        }
        try (InputStream body = new ClientBodyStream(request)) {
            registry.upload(writing, version, path, declared, body);
        }
    }

    /**
     * Deletes the file; the caller needs what an upload needs, and answers in its own dialect. A body the request may
     * carry is not read.
     *
     * @return the authorized caller when there was such a file, empty when there was none
     */
    public Optional<Authorized> delete(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path,
                                       RegistryHttpRequest request) throws IOException {
        Authorized writing = registry.authorize(caller, project, Access.WRITE);
        request.authorized(writing);
        request.file(path);
        return registry.deleteFile(writing, version, path) ? Optional.of(writing) : Optional.empty();
    }

    /** The file route's answer to a deletion: 204, no body. */
    public static void deleted(RegistryHttpResponse response) throws IOException {
        response.status(204);
        DownloadResponder.closeEmpty(response);
    }

    /** GitLab's direct download from object storage: the caller was authorized, the store signed the URL. */
    private static void redirect(URI location, RegistryHttpResponse response) throws IOException {
        response.status(302);
        response.header("Location", location.toString());
        response.header("Cache-Control", "no-store"); // a signed URL expires; nobody may keep this answer
        response.contentLength(0);
        DownloadResponder.closeEmpty(response);
    }
}
