package org.mlregistry.core;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.spi.ModelFileWriter;
import org.mlregistry.core.spi.RegistryObserver;

/**
 * What the facade's parts ({@link ModelRegistry}, {@link Models}, {@link HubRepos}) share, built once by the builder
 * and handed to each: the policy, storage, catalog, clock and observer, the caches every part must keep coherent,
 * and the few questions they all ask (may this caller, does this version exist). No part refers back to another.
 *
 * <p>Threading: immutable; everything it holds is safe for concurrent use.
 */
final class RegistryContext {

    private final AccessPolicy policy;
    private final ModelFileResolver files;
    private final @Nullable ModelFileWriter uploads;
    private final @Nullable ModelCatalog catalog;
    private final Clock clock;
    private final long maxFileSizeBytes;
    private final FileOverwrite fileOverwrite;
    private final RegistryObserver observer;
    private final CatalogCalls catalogCalls;
    private final VersionCache knownVersions;
    private final FileListings listings;
    private final @Nullable BlobFileStore blobFiles;
    private final IntegrityErrors integrity;

    RegistryContext(AccessPolicy policy, ModelFileResolver files, @Nullable ModelFileWriter uploads, @Nullable ModelCatalog catalog,
                    @Nullable BlobFileStore blobFiles, Clock clock, long maxFileSizeBytes, FileOverwrite fileOverwrite, RegistryObserver observer) {
        this.policy = policy;
        this.files = files;
        this.uploads = uploads;
        this.catalog = catalog;
        this.clock = clock;
        this.maxFileSizeBytes = maxFileSizeBytes;
        this.fileOverwrite = fileOverwrite;
        this.observer = observer;
        this.catalogCalls = new CatalogCalls(observer);
        this.knownVersions = new VersionCache(clock);
        this.blobFiles = blobFiles;
        this.integrity = blobFiles == null ? new IntegrityErrors() : blobFiles.integrity();
        this.listings = new FileListings(files, blobFiles, clock);
    }

    /** Decides whether {@code caller} may {@code access} {@code project}: the refusal, or the right. */
    Authorized authorize(Caller caller, ProjectRef project, Access access) throws IOException {
        return policy.authorize(Objects.requireNonNull(caller, "caller"), Objects.requireNonNull(project, "project"),
                Objects.requireNonNull(access, "access"));
    }

    /** The first {@code limit} projects the locator lists that {@code caller} may read. */
    List<Project> readableProjects(Caller caller, int limit) throws IOException {
        return policy.readable(Objects.requireNonNull(caller, "caller"), limit);
    }

    /** Who presents {@code credential}, or the refusal. */
    Principal authenticate(Credential credential) throws IOException {
        return policy.signIn(Objects.requireNonNull(credential, "credential"));
    }

    /** {@code right} for an operation that needs {@code access}: as it is when it was decided for that, else decided again. */
    Authorized require(Authorized right, Access access) throws IOException {
        Objects.requireNonNull(right, "right");
        return right.access().includes(access) ? right : authorize(right.caller(), ProjectRef.ofId(right.project().id()), access);
    }

    ModelFileResolver files() {
        return files;
    }

    Optional<ModelFileWriter> uploads() {
        return Optional.ofNullable(uploads);
    }

    boolean hasCatalog() {
        return catalog != null;
    }

    /** The catalog; refused as missing when this registry has none (versions are then directories). */
    ModelCatalog catalog() {
        ModelCatalog c = catalog;
        if (c == null) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "this registry has no model catalog");
        }
        return c;
    }

    /** The catalog as a {@link TrackingCatalog}; refused (400) when this registry's catalog keeps no experiments. */
    /** Whether the catalog keeps MLflow's experiments and runs. */
    boolean keepsRuns() {
        return catalog instanceof TrackingCatalog;
    }

    TrackingCatalog tracking() {
        if (catalog() instanceof TrackingCatalog t) {
            return t;
        }
        throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "this registry's model catalog does not keep experiments");
    }

    /** Runs a catalog call: timed for the observer, an unreachable database a 503 ({@link CatalogCalls}). */
    <T> T catalogCall(String operation, CatalogCalls.Call<T> call) {
        return catalogCalls.call(operation, call);
    }

    Clock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    long maxFileSizeBytes() {
        return maxFileSizeBytes;
    }

    FileOverwrite fileOverwrite() {
        return fileOverwrite;
    }

    RegistryObserver observer() {
        return observer;
    }

    VersionCache knownVersions() {
        return knownVersions;
    }

    /** The manifests and blobs, for a registry that keeps its versions' files so. */
    Optional<BlobFileStore> blobFiles() {
        return Optional.ofNullable(blobFiles);
    }

    IntegrityErrors integrity() {
        return integrity;
    }

    FileListings listings() {
        return listings;
    }

    /**
     * Whether the version exists: in the catalog (when there is one), else as a place in storage. A candidate exists as
     * a place in storage (made by hand, as before runs were kept) or as an active run the catalog keeps
     * ({@code candidate:<iid>} of an MLflow run), whose files then go to its manifest (with blobs) or to that place; a
     * deleted run's are not reached.
     */
    boolean versionExists(long projectId, ModelVersionRef version) throws IOException {
        if (!version.candidate()) {
            return hasCatalog() ? catalogHas(projectId, version.id()) : files.hasVersion(projectId, version);
        }
        if (files.hasVersion(projectId, version)) {
            return true;
        }
        return catalog instanceof TrackingCatalog tracking && catalogCall("runFiles",
                () -> tracking.runFiles(projectId, version.id())).isPresent();
    }

    /** Whether the catalog has the version, from the cache of known versions when it can ({@link VersionCache}). */
    boolean catalogHas(long projectId, long versionId) {
        if (knownVersions.knows(projectId, versionId)) {
            return true;
        }
        boolean exists = catalogHasNow(projectId, versionId);
        if (exists) {
            knownVersions.remember(projectId, versionId);
        }
        return exists;
    }

    /** Whether the catalog has the version now, asked without the cache: deletions through other nodes show at once. */
    boolean catalogHasNow(long projectId, long versionId) {
        return catalogCall("findVersion", () -> catalog().findVersion(projectId, versionId)).isPresent();
    }

    /** The refusal of a version that does not exist. */
    static RegistryException versionNotFound() {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
    }
}
