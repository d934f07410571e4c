package org.mlregistry.servlet;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.memory.TokenDigests;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelFileResolver;
import org.mlregistry.core.testing.RegistryFixture;

/**
 * The registry most HTTP tests serve: public project 5 ({@code open/models}), private project 6
 * ({@code Team/Sub/Secret-Models}) with developer {@code dev}, whose token is {@link #TOKEN}.
 */
final class TestRegistry {

    static final String TOKEN = "glpat-downloadtest";

    private TestRegistry() {
    }

    static ModelRegistry of(ModelFileResolver files) {
        return of(files, ModelRegistry.DEFAULT_MAX_FILE_SIZE_BYTES);
    }

    static ModelRegistry of(ModelFileResolver files, long maxFileSize) {
        List<Project> projects = List.of(
                new Project(5, "open/models", Visibility.PUBLIC, Map.of("dev", Role.DEVELOPER), Set.of()),
                new Project(6, "Team/Sub/Secret-Models", Visibility.PRIVATE, Map.of("dev", Role.DEVELOPER), Set.of()));
        List<StoredToken> tokens = List.of(StoredToken.personal("dev", TokenDigests.sha256Hex(TOKEN), Set.of(Scope.API), null, false));
        return ModelRegistry.builder()
                .projects(new InMemoryProjectLocator(projects))
                .tokens(new InMemoryTokenAuthenticator(RegistryFixture.CLOCK, tokens))
                .files(files)
                .maxFileSizeBytes(maxFileSize)
                .build();
    }
}
