package org.mlregistry.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.DirectoryPath;
import org.mlregistry.core.model.FileEntry;
import org.mlregistry.core.model.FileMetadata;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.ModelFileWriter;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.core.spi.TokenAuthenticator;
import org.mlregistry.core.spi.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry itself, without HTTP: downloads and uploads of model files under GitLab's
 * authentication and permission rules. The HTTP layer is a thin translation onto this class, so a test
 * or an embedding application can call it directly and get exactly the decisions an HTTP client gets.
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.builder()
 *     .projects(locator).tokens(authenticator).store(fileStore)
 *     .build();
 * Optional<ModelFile> file = registry.download(
 *     Caller.presenting(Credential.of(Credential.Transport.BEARER, token)),
 *     ProjectRef.parse("group/project"), ModelVersionRef.parse("7"), FilePath.parse("model.bin"));
 * }</pre>
 *
 * <p>Refusals are thrown as {@link RegistryException}; absence is an empty {@code Optional}; storage
 * failures are {@link IOException}.
 *
 * <p>Threading: immutable and safe for concurrent use, provided its SPIs are.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /** Default upper bound for an uploaded file: 10 GiB. */
    public static final long DEFAULT_MAX_FILE_SIZE_BYTES = 10L * 1024 * 1024 * 1024;
    /** By default guests may read private projects, as in GitLab. */
    public static final boolean DEFAULT_GUESTS_CAN_READ_PRIVATE = true;
    /** By default an upload replaces an existing file, as GitLab serves the newest upload. */
    public static final FileOverwrite DEFAULT_FILE_OVERWRITE = FileOverwrite.REPLACE;
    /** By default at most this many uploads are received at once ({@link UploadSlots}). */
    public static final int DEFAULT_MAX_CONCURRENT_UPLOADS = 64;
    /**
     * By default at most this many uploads of one caller are received at once: as many as MLflow's client uploads in
     * parallel (its artifact thread pool has up to 32 workers).
     */
    public static final int DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER = 32;

    private final RegistryContext context;
    private final Deletions deletions;
    private final Models models;
    private final Experiments experiments;
    private final Runs runs;
    private final RunRegistrations runRegistrations;
    private final LoggedModels loggedModels;
    private final HubRepos hub;
    private final Packages packages;
    private final UploadSlots uploadSlots;
    private final @Nullable Blobs blobs;

    private ModelRegistry(RegistryContext context, UploadSlots uploadSlots) {
        this.context = context;
        this.blobs = context.blobFiles().map(b -> new Blobs(context, b)).orElse(null);
        this.uploadSlots = uploadSlots;
        this.deletions = new Deletions(context);
        this.models = new Models(context, deletions);
        this.experiments = new Experiments(context);
        this.runs = new Runs(context, experiments);
        this.loggedModels = new LoggedModels(context, experiments, runs);
        this.runRegistrations = new RunRegistrations(context, models, runs, loggedModels);
        this.hub = new HubRepos(context);
        this.packages = new Packages(context, deletions, this);
    }

    /** Starts a builder; projects, tokens and files are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides whether {@code caller} may {@code access} the project now, as every operation of that kind decides
     * first, and returns the right to pass to the operations of one request: a protocol refuses with it before it
     * reads a request's body or parses its parameters (the refusal costs nothing the caller controls), and the
     * request is authorized once however many operations it does.
     *
     * @throws RegistryException the refusal: {@link Refusal#UNAUTHORIZED}, {@link Refusal#PROJECT_NOT_FOUND},
     *     {@link Refusal#FORBIDDEN}, ...
     * @throws IOException when the project or token source fails
     */
    public Authorized authorize(Caller caller, ProjectRef project, Access access) throws IOException {
        return context.authorize(caller, project, access);
    }

    /**
     * The projects {@code caller} may read, of the first {@code limit} the {@link ProjectLocator} lists (in its
     * order): a start page's list. Empty when the locator cannot list its projects.
     *
     * @throws RegistryException when the caller's credential is refused ({@link Refusal#UNAUTHORIZED},
     *     {@link Refusal#TOKEN_EXPIRED}, {@link Refusal#TOKEN_REVOKED})
     * @throws IOException when the project or token source fails
     */
    public List<Project> readableProjects(Caller caller, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        return context.readableProjects(caller, limit);
    }

    /**
     * Who presents {@code credential}, whatever the project: a sign-in's check of a token.
     *
     * @throws RegistryException the refusal: {@link Refusal#UNAUTHORIZED}, {@link Refusal#TOKEN_EXPIRED} or
     *     {@link Refusal#TOKEN_REVOKED}
     * @throws IOException when the token source fails
     */
    public Principal authenticate(Credential credential) throws IOException {
        return context.authenticate(credential);
    }

    /**
     * Finds a file for {@code caller}.
     *
     * @return the file, or empty when the version or file does not exist
     * @throws RegistryException when the caller may not read it (including hidden projects)
     * @throws IOException when a backing source fails
     */
    public Optional<ModelFile> download(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path)
            throws IOException {
        return download(authorize(caller, project, Access.READ), version, path);
    }

    /** As {@link #download(Caller, ProjectRef, ModelVersionRef, FilePath)}, for a caller already authorized. */
    public Optional<ModelFile> download(Authorized reading, ModelVersionRef version, FilePath path) throws IOException {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
        long projectId = context.require(reading, Access.READ).project().id();
        // without a catalog a missing version has no files: the lookup itself answers, at no extra cost
        if (context.hasCatalog() && !version.candidate() && !context.catalogHas(projectId, version.id())) {
            return Optional.empty();
        }
        return context.files().find(projectId, version, path);
    }

    /**
     * The entries directly inside {@code directory} of the version, sorted by name.
     *
     * @throws RegistryException {@link Refusal#RESOURCE_DOES_NOT_EXIST} for a version that does not exist,
     *     or a permission refusal
     */
    public List<FileEntry> list(Caller caller, ProjectRef project, ModelVersionRef version, DirectoryPath directory)
            throws IOException {
        return list(authorize(caller, project, Access.READ), version, directory);
    }

    /** As {@link #list(Caller, ProjectRef, ModelVersionRef, DirectoryPath)}, for a caller already authorized. */
    public List<FileEntry> list(Authorized reading, ModelVersionRef version, DirectoryPath directory) throws IOException {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(directory, "directory");
        long projectId = context.require(reading, Access.READ).project().id();
        if (!context.versionExists(projectId, version)) {
            throw RegistryContext.versionNotFound();
        }
        return context.files().list(projectId, version, directory);
    }

    /** The catalog operations: registered models and their versions, under the same permission rules. */
    public Models models() {
        return models;
    }

    /** MLflow's experiments, kept by a catalog that is a {@link org.mlregistry.core.spi.TrackingCatalog}. */
    public Experiments experiments() {
        return experiments;
    }

    /** MLflow's runs (GitLab's candidates), kept by a catalog that is a {@link org.mlregistry.core.spi.TrackingCatalog}. */
    public Runs runs() {
        return runs;
    }

    /** MLflow 3's logged models: what {@code log_model} makes and {@code register_model("models:/m-<id>")} registers. */
    public LoggedModels loggedModels() {
        return loggedModels;
    }

    /** Versions made of runs' files: MLflow's {@code register_model("runs:/...")}, GitLab's promotion of a candidate. */
    public RunRegistrations runRegistrations() {
        return runRegistrations;
    }

    /**
     * The blobs and manifests of a registry built with {@link Builder#blobs}: garbage collection, verification and the
     * migration of the directory layout; empty for a registry that keeps files as paths.
     */
    public Optional<Blobs> blobs() {
        return Optional.ofNullable(blobs);
    }

    /** Model versions as GitLab's {@code ml_model} packages (GitLab's packages API), under GitLab's permission rules. */
    public Packages packages() {
        return packages;
    }

    /** Model versions as Hugging Face repository revisions, under the same permission rules as files. */
    public HubRepos hub() {
        return hub;
    }

    /** The registry's time source (the builder's {@link Builder#clock}): timestamps, cache expiry, and HTTP dates. */
    public Clock clock() {
        return context.clock();
    }

    /** Who hears about requests, transfers, digests and catalog calls ({@link RegistryObserver#NONE} unless built with one). */
    public RegistryObserver observer() {
        return context.observer();
    }

    /**
     * Whether storage and (when there is one) the catalog answer now: for a health endpoint. Failures are
     * logged here and reported as {@code false}, never with their message, which may name hosts or paths.
     */
    public Health health() {
        boolean storage = reachable("storage", context.files()::checkReachable);
        boolean db = !context.hasCatalog() || reachable("catalog", context.catalog()::checkReachable);
        return new Health(storage, db, context.integrity().count());
    }

    private static boolean reachable(String what, Probe probe) {
        try {
            probe.check();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("health check: the {} is not reachable: {}", what, e.toString());
            return false;
        }
    }

    private interface Probe {
        void check() throws IOException;
    }

    /**
     * Stores {@code content} (read to its end, not closed) as the file {@code path}. A size {@code declared}
     * over the maximum is refused after the permission check and before a byte of content is read; a
     * declared digest is verified before the file becomes visible. An existing file is replaced or the
     * upload refused as the project's (else the registry's) {@link FileOverwrite} policy says. The version
     * must exist: in the catalog, or (without one, and for candidates) as a place in storage; one deleted while the
     * upload runs refuses it, and nothing stays.
     *
     * @throws RegistryException a permission refusal, {@link Refusal#RESOURCE_DOES_NOT_EXIST} for a missing
     *     version, {@link Refusal#READ_ONLY} without a writer,
     *     {@link Refusal#FILE_TOO_LARGE}, or a refusal of the writer ({@link Refusal#FILE_EXISTS},
     *     {@link Refusal#PATH_CONFLICT}, {@link Refusal#CHECKSUM_MISMATCH}, ...); nothing is stored then
     * @throws IOException when storage fails or the content cannot be read
     */
    public FileMetadata upload(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path,
                               Declared declared, InputStream content) throws IOException {
        return upload(authorize(caller, project, Access.WRITE), version, path, declared, content);
    }

    /** As {@link #upload(Caller, ProjectRef, ModelVersionRef, FilePath, Declared, InputStream)}, for a caller already authorized. */
    public FileMetadata upload(Authorized writing, ModelVersionRef version, FilePath path, Declared declared, InputStream content)
            throws IOException {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(content, "content");
        Project p = context.require(writing, Access.WRITE).project();
        if (!context.versionExists(p.id(), version)) {
            throw RegistryContext.versionNotFound();
        }
        long max = context.maxFileSizeBytes();
        if (declared.size() > max) {
            throw SizeLimitedInputStream.tooLarge(max);
        }
        ModelFileWriter writer = context.uploads().orElseThrow(() -> new RegistryException(Refusal.READ_ONLY));
        boolean cataloged = context.hasCatalog() && !version.candidate();
        WriteOptions options = WriteOptions.of(p.fileOverwriteOr(context.fileOverwrite())).by(writing.actor());
        if (cataloged) {
            options = options.gated(deletions.gate(p.id(), version.id()));
        }
        Optional<Sha256> expected = declared.digest();
        if (expected.isPresent()) {
            options = options.expecting(expected.get());
        }
        String uploader = uploader(writing);
        uploadSlots.acquire(uploader);
        context.observer().uploadStarted();
        try {
            FileMetadata stored;
            try {
                stored = writer.store(p.id(), version, path, new SizeLimitedInputStream(content, max), options);
            } catch (NoSuchFileException e) {
                // storage changed under the upload: its version's place was removed, by a deletion if the catalog says so
                if (cataloged && !context.catalogHasNow(p.id(), version.id())) {
                    throw RegistryContext.versionNotFound();
                }
                throw e;
            }
            if (cataloged && !context.catalogHasNow(p.id(), version.id())) {
                // deleted through another node while this one published: what was published goes with the version
                deletions.removeFiles(new DeletedVersion(p.id(), version.id()));
                throw RegistryContext.versionNotFound();
            }
            return stored;
        } finally {
            listingsChanged(p.id(), version);
            context.observer().uploadFinished();
            uploadSlots.release(uploader);
        }
    }

    /**
     * Deletes the file {@code path} of a version (the file route's {@code DELETE}, MLflow's artifact deletion): the
     * caller needs what an upload needs. Directories the removal leaves empty are not listed; with a catalog, a
     * revision that listed the file keeps resolving while history keeps it.
     *
     * @return whether there was such a file
     * @throws RegistryException the refusals of an upload's authorization, {@code RESOURCE_DOES_NOT_EXIST} for a
     *     version that does not exist, {@code READ_ONLY} for a registry (or storage) that cannot delete
     */
    public boolean deleteFile(Caller caller, ProjectRef project, ModelVersionRef version, FilePath path) throws IOException {
        return deleteFile(authorize(caller, project, Access.WRITE), version, path);
    }

    /** As {@link #deleteFile(Caller, ProjectRef, ModelVersionRef, FilePath)}, for a caller already authorized. */
    public boolean deleteFile(Authorized writing, ModelVersionRef version, FilePath path) throws IOException {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
        Project p = context.require(writing, Access.WRITE).project();
        if (!context.versionExists(p.id(), version)) {
            throw RegistryContext.versionNotFound();
        }
        ModelFileWriter writer = context.uploads().orElseThrow(() -> new RegistryException(Refusal.READ_ONLY));
        try {
            return writer.deleteFile(p.id(), version, path);
        } finally {
            listingsChanged(p.id(), version);
        }
    }

    /** Forgets the listing of the version whose files changed: a candidate's run's version's, when it is a version's run. */
    private void listingsChanged(long projectId, ModelVersionRef version) {
        if (!version.candidate()) {
            context.listings().changed(version.id());
        } else if (context.keepsRuns()) {
            try {
                context.catalogCall("runFiles", () -> context.tracking().runFiles(projectId, version.id())).filter(key -> key > 0)
                        .ifPresent(context.listings()::changed);
            } catch (RegistryException unreachable) {
                // the catalog failed: the listing goes by its time to live, and what failed the request is what it answers
            }
        }
    }

    /** Whose uploads count together: the user's, else (a deploy token) the token's, by its digest. */
    private static String uploader(Authorized writing) {
        if (!writing.actor().isEmpty()) {
            return "user " + writing.actor();
        }
        return "token " + writing.caller().credential().map(c -> Sha256.ofSecret(c.secret()).hex()).orElse("");
    }

    /**
     * Finishes the clean-up of deleted versions whose files could not be removed when they were deleted (storage
     * failed, the process was killed): for each one the catalog still records, removes what storage holds and drops
     * the record. The bundled server runs it when it starts and every few minutes; an embedding application may call
     * it on its own schedule. Does nothing without a catalog.
     *
     * @return how many deleted versions it cleaned up
     */
    public int removeDeletedFiles() {
        return deletions.removeDeletedFiles();
    }

    /** Whether a migration found the directory layout empty (in any process); when the catalog cannot tell, it is consulted. */
    private static boolean layoutMigrated(ManifestCatalog manifests) {
        try {
            return manifests.setting(Blobs.LAYOUT_MIGRATED).isPresent();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not read whether the directory layout was migrated; it is consulted: {}", e.toString());
            return false;
        }
    }

    /**
     * Builds a {@link ModelRegistry}; validates once in {@link #build()}.
     *
     * <p>Threading: not thread-safe; build once, share the registry.
     */
    public static final class Builder {
        private @Nullable ProjectLocator projects;
        private @Nullable TokenAuthenticator tokens;
        private @Nullable ModelFileResolver files;
        private @Nullable ModelFileWriter uploads;
        private @Nullable ModelCatalog catalog;
        private @Nullable BlobStore blobs;
        private Clock clock = Clock.systemUTC();
        private boolean guestsCanReadPrivate = DEFAULT_GUESTS_CAN_READ_PRIVATE;
        private long maxFileSizeBytes = DEFAULT_MAX_FILE_SIZE_BYTES;
        private FileOverwrite fileOverwrite = DEFAULT_FILE_OVERWRITE;
        private RegistryObserver observer = RegistryObserver.NONE;
        private int maxConcurrentUploads = DEFAULT_MAX_CONCURRENT_UPLOADS;
        private int maxConcurrentUploadsPerCaller = DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER;

        private Builder() {
        }

        /** Where projects are looked up. */
        public Builder projects(ProjectLocator locator) {
            this.projects = Objects.requireNonNull(locator, "locator");
            return this;
        }

        /** Where tokens are checked. */
        public Builder tokens(TokenAuthenticator authenticator) {
            this.tokens = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Where files are read from. */
        public Builder files(ModelFileResolver resolver) {
            this.files = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Where uploads go; without one the registry is read-only ({@link Refusal#READ_ONLY}). */
        public Builder uploads(ModelFileWriter writer) {
            this.uploads = Objects.requireNonNull(writer, "writer");
            return this;
        }

        /**
         * Where registered models and versions are kept. Without one the registry is directory-based: a
         * version exists when storage has a place for it, and the catalog operations are refused.
         */
        public Builder catalog(ModelCatalog modelCatalog) {
            this.catalog = Objects.requireNonNull(modelCatalog, "modelCatalog");
            return this;
        }

        /**
         * Where the bytes of versions' files are kept, once per content, when the catalog keeps manifests (it implements
         * {@link ManifestCatalog}): versions' files are then rows of their manifests and blobs here, and the
         * {@link #store} keeps candidates and serves the files of the directory layout until they are migrated
         * ({@link Blobs#migrate}). Without it, or with a catalog that keeps no manifests, files are paths in the store.
         */
        public Builder blobs(BlobStore blobStore) {
            this.blobs = Objects.requireNonNull(blobStore, "blobStore");
            return this;
        }

        /** The time source for catalog timestamps and cache expiry (default: the system's UTC clock). */
        public Builder clock(Clock timeSource) {
            this.clock = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /** Reads from and uploads to {@code store}: {@link #files} and {@link #uploads} at once. */
        public Builder store(ModelFileStore store) {
            return files(store).uploads(store);
        }

        /** Whether guests may read private projects (default true, as in GitLab). */
        public Builder guestsCanReadPrivate(boolean allowed) {
            this.guestsCanReadPrivate = allowed;
            return this;
        }

        /** The largest upload accepted (default 10 GiB). */
        public Builder maxFileSizeBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxFileSizeBytes must not be negative");
            }
            this.maxFileSizeBytes = bytes;
            return this;
        }

        /** What uploads over existing files do where a project does not say (default {@link FileOverwrite#REPLACE}). */
        public Builder fileOverwrite(FileOverwrite policy) {
            this.fileOverwrite = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How many uploads are received at once, in all and per caller (defaults {@value ModelRegistry#DEFAULT_MAX_CONCURRENT_UPLOADS}
         * and {@value ModelRegistry#DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER}); more are refused with
         * {@link Refusal#TOO_MANY_UPLOADS} before their bodies are read. Keep the total under the container's threads.
         */
        public Builder maxConcurrentUploads(int total, int perCaller) {
            if (total < 1 || perCaller < 1) {
                throw new IllegalArgumentException("upload bounds must be at least 1");
            }
            this.maxConcurrentUploads = total;
            this.maxConcurrentUploadsPerCaller = perCaller;
            return this;
        }

        /** Who hears about requests, transfers, digests and catalog calls, for metrics (default: nobody). */
        public Builder observer(RegistryObserver registryObserver) {
            this.observer = Objects.requireNonNull(registryObserver, "registryObserver");
            return this;
        }

        /** Validates and builds. */
        public ModelRegistry build() {
            ProjectLocator p = Objects.requireNonNull(projects, "projects locator is required");
            TokenAuthenticator t = Objects.requireNonNull(tokens, "token authenticator is required");
            ModelFileResolver f = Objects.requireNonNull(files, "file resolver is required");
            ModelFileWriter w = uploads;
            BlobFileStore blobFiles = null;
            if (blobs != null && catalog instanceof ManifestCatalog manifests) {
                if (!(f instanceof ModelFileStore layout) || w != f) {
                    throw new IllegalStateException("a registry with blobs needs a store(...) for candidates and the directory layout");
                }
                blobFiles = new BlobFileStore(manifests, blobs, layout, clock, new IntegrityErrors());
                blobFiles.servesLayout(!layoutMigrated(manifests));
                f = blobFiles;
                w = blobFiles;
            }
            return new ModelRegistry(new RegistryContext(new AccessPolicy(p, t, guestsCanReadPrivate), f, w, catalog, blobFiles, clock,
                    maxFileSizeBytes, fileOverwrite, observer), new UploadSlots(maxConcurrentUploads, maxConcurrentUploadsPerCaller));
        }
    }
}
