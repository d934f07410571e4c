package org.mlregistry.core.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.spi.ModelFileStore;

/**
 * The registry most HTTP tests serve: public project 5 ({@code open/models}), private project 6
 * ({@code Team/Sub/Secret-Models}) with developer {@code dev}, whose token is {@link #TOKEN}.
 */
public final class TestRegistry {

    public static final String TOKEN = "glpat-downloadtest";

    private TestRegistry() {
    }

    /** Over {@code store}, reading and writing. */
    public static ModelRegistry of(ModelFileStore store) {
        return of(store, ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES);
    }

    /** Over {@code store}, refusing uploads over {@code maxFileSize}. */
    public static ModelRegistry of(ModelFileStore store, long maxFileSize) {
        return builder().store(store).maxFileSizeBytes(maxFileSize).build();
    }

    /** Reading from {@code files}, with no uploads. */
    public static ModelRegistry readOnly(ModelFileResolver files) {
        return builder().files(files).build();
    }

    /** A builder with the projects and token set, for tests that choose the rest. */
    public static ModelRegistry.Builder builder() {
        List<Project> projects = List.of(
                new Project(5, "open/models", Visibility.PUBLIC, Map.of("dev", Role.DEVELOPER), Set.of()),
                new Project(6, "Team/Sub/Secret-Models", Visibility.PRIVATE, Map.of("dev", Role.DEVELOPER), Set.of()));
        List<StoredToken> tokens = List.of(StoredToken.personal("dev", Sha256.ofSecret(TOKEN), Set.of(Scope.API), null, false));
        return ModelRegistry.builder()
                .projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(RegistryFixture.CLOCK, tokens));
    }
}
