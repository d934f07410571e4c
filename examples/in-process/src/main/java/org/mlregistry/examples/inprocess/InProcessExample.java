package org.mlregistry.examples.inprocess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlregistry.catalog.jdbc.CatalogDataSources;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Declared;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelFile;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/**
 * The registry as a library, without HTTP: one private project with a developer, files in a folder, the embedded
 * catalog; a model, a version, an upload and its download, and the refusal an anonymous caller gets, as an HTTP
 * client would. Run it with a folder to keep the registry in: {@code java ... InProcessExample /tmp/registry}.
 */
public final class InProcessExample {

    private InProcessExample() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "registry-data"));
        System.out.println(run(root));
    }

    /** Runs the example on a registry kept in {@code root}; what happened, in a few lines. */
    static String run(Path root) throws IOException {
        String token = "glpat-in-process-example";
        Project project = new Project(1, "team/models", Visibility.PRIVATE, Map.of("dev", Role.DEVELOPER), Set.of());
        StoredToken dev = StoredToken.personal("dev", Sha256.ofSecret(token), Set.of(Scope.API), null, false);
        try (FileSystemModelFileStore store = new FileSystemModelFileStore(root);
             var pool = CatalogDataSources.sqlite(root.resolve(FileSystemModelFileStore.INTERNAL_DIR).resolve("catalog"))) {
            ModelRegistry registry = ModelRegistry.builder()
                    .projects(new InMemoryProjectLocator(List.of(project)))
                    .tokens(new InMemoryTokenAuthenticator(Clock.systemUTC(), List.of(dev)))
                    .store(store)
                    .catalog(JdbcModelCatalog.migrate(pool))
                    .blobs(store.blobs()) // each file's bytes stored once, under their SHA-256
                    .build();
            Caller caller = Caller.presenting(Credential.of(Credential.Transport.BEARER, token));
            ProjectRef team = ProjectRef.parse("team/models");

            registry.models().create(caller, team, "sentiment", "detects moods", List.of());
            ModelVersion v = registry.models().createVersion(caller, team, "sentiment", "1.0.0", "", List.of());
            byte[] weights = "weights".getBytes(StandardCharsets.UTF_8);
            registry.upload(caller, team, v.ref(), FilePath.parse("model.bin"), Declared.NOTHING, new ByteArrayInputStream(weights));
            ModelFile file = registry.download(caller, team, v.ref(), FilePath.parse("model.bin")).orElseThrow();
            String refusal;
            try {
                registry.download(Caller.ANONYMOUS, team, v.ref(), FilePath.parse("model.bin"));
                refusal = "none";
            } catch (RegistryException e) {
                refusal = e.reason().name();
            }
            return "version " + v.version() + " (id " + v.id() + ") holds model.bin: " + read(file) + ", sha256 "
                    + file.sha256().hex() + "\nan anonymous caller is refused: " + refusal;
        }
    }

    private static String read(ModelFile file) throws IOException {
        try (SeekableByteChannel ch = file.open()) {
            ByteBuffer buffer = ByteBuffer.allocate((int) file.metadata().size());
            while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                // to the end
            }
            return new String(buffer.array(), StandardCharsets.UTF_8);
        }
    }
}
