package org.mlregistry.server.config;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.RegistryObserver;

/**
 * The part of the bundled server's configuration that a reload replaces while the server runs: who may
 * do what (projects, members, tokens) and the upload limits.
 *
 * @param guestsCanReadPrivate whether guests may read private projects
 * @param maxFileSizeBytes the largest upload accepted
 * @param projects the projects
 * @param tokens the tokens, by hash
 * @param fileOverwrite what an upload over an existing file does where a project does not say
 * @param maxConcurrentUploads how many uploads are received at once
 * @param maxConcurrentUploadsPerCaller how many uploads of one caller are received at once
 */
public record AccessConfig(boolean guestsCanReadPrivate, long maxFileSizeBytes, List<Project> projects,
                           List<StoredToken> tokens, FileOverwrite fileOverwrite, int maxConcurrentUploads,
                           int maxConcurrentUploadsPerCaller) {

    public AccessConfig {
        projects = List.copyOf(projects);
        tokens = List.copyOf(tokens);
    }

    /** With the registry's default bounds on uploads in progress. */
    public AccessConfig(boolean guestsCanReadPrivate, long maxFileSizeBytes, List<Project> projects, List<StoredToken> tokens,
                        FileOverwrite fileOverwrite) {
        this(guestsCanReadPrivate, maxFileSizeBytes, projects, tokens, fileOverwrite, ModelRegistry.DEFAULT_MAX_CONCURRENT_UPLOADS,
                ModelRegistry.DEFAULT_MAX_CONCURRENT_UPLOADS_PER_CALLER);
    }

    /**
     * The registry these rules describe, over {@code store} (which it reads from and uploads to) and
     * {@code catalog}, reporting to {@code observer}.
     */
    public ModelRegistry toRegistry(Clock clock, ModelFileStore store, Optional<ModelCatalog> catalog, RegistryObserver observer) {
        return toRegistry(clock, store, Optional.empty(), catalog, observer);
    }

    /**
     * As {@link #toRegistry(Clock, ModelFileStore, Optional, RegistryObserver)}; with a catalog and {@code blobs},
     * versions' files are manifests in the catalog and blobs, {@code store} keeping candidates and the directory layout.
     */
    public ModelRegistry toRegistry(Clock clock, ModelFileStore store, Optional<BlobStore> blobs, Optional<ModelCatalog> catalog,
                                    RegistryObserver observer) {
        ModelRegistry.Builder b = ModelRegistry.builder();
        catalog.ifPresent(b::catalog);
        if (catalog.isPresent()) {
            blobs.ifPresent(b::blobs);
        }
        return b.clock(clock)
                .observer(observer)
                .projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(clock, tokens))
                .store(store)
                .guestsCanReadPrivate(guestsCanReadPrivate)
                .maxFileSizeBytes(maxFileSizeBytes)
                .fileOverwrite(fileOverwrite)
                .maxConcurrentUploads(maxConcurrentUploads, maxConcurrentUploadsPerCaller)
                .build();
    }
}
