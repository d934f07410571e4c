package org.mlregistry.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlregistry.core.Access;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.model.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.core.spi.TokenAuthenticator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The starter backs off bean by bean: an application's own {@link TokenAuthenticator} or {@link ProjectLocator} is
 * the one the registry uses, and a missing storage root is a start-up failure that says which property to set.
 */
class BackOffTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MlregistryAutoConfiguration.class));

    @Test
    void usesTheApplicationsOwnBeans(@TempDir Path root) {
        AtomicInteger asked = new AtomicInteger();
        TokenAuthenticator mine = credential -> {
            asked.incrementAndGet();
            return Optional.empty();
        };
        ProjectLocator projects = ref -> Optional.of(new Project(7, "team/models", Visibility.PRIVATE, Map.of(), Set.of()));
        runner.withPropertyValues("mlregistry.storage-root=" + root)
                .withBean(TokenAuthenticator.class, () -> mine)
                .withBean(ProjectLocator.class, () -> projects)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ModelRegistry.class);
                    assertThat(context).hasBean("mlregistryServlet");
                    // the registry asks the application's beans: an unknown token is refused by the application's authenticator
                    ModelRegistry registry = context.getBean(ModelRegistry.class);
                    assertThatThrownBy(() -> registry.authorize(Caller.presenting(Credential.of(Credential.Transport.BEARER, "glpat-x")),
                            ProjectRef.parse("team/models"), Access.READ)).isInstanceOf(RegistryException.class);
                    assertThat(asked).hasValue(1);
                });
    }

    @Test
    void aMissingStorageRootNamesTheProperty() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("mlregistry.storage-root is not set: name the directory "
                    + "for model files, or declare a ModelFileStore bean");
        });
    }
}
