package org.mlregistry.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Project;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/**
 * The example server's validated configuration (see {@link ConfigParser} for the JSON form).
 *
 * @param storageRoot the file-system storage root, absolute
 * @param guestsCanReadPrivate whether guests may read private projects
 * @param maxFileSizeBytes the largest upload accepted
 * @param projects the projects
 * @param tokens the tokens, by hash
 */
public record RegistryConfig(Path storageRoot, boolean guestsCanReadPrivate, long maxFileSizeBytes,
                             List<Project> projects, List<StoredToken> tokens) {

    public RegistryConfig {
        projects = List.copyOf(projects);
        tokens = List.copyOf(tokens);
    }

    /** Builds the registry this configuration describes, over file-system storage. */
    public ModelRegistry toRegistry(Clock clock) throws IOException {
        return ModelRegistry.builder()
                .projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(clock, tokens))
                .files(new FileSystemModelFileStore(storageRoot))
                .guestsCanReadPrivate(guestsCanReadPrivate)
                .maxFileSizeBytes(maxFileSizeBytes)
                .build();
    }
}
