package org.mlregistry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
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
        TokenAuthenticator mine = credential -> Optional.empty();
        ProjectLocator projects = ref -> Optional.empty();
        runner.withPropertyValues("mlregistry.storage-root=" + root)
                .withBean(TokenAuthenticator.class, () -> mine)
                .withBean(ProjectLocator.class, () -> projects)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ModelRegistry.class);
                    assertThat(context.getBean(TokenAuthenticator.class)).isSameAs(mine);
                    assertThat(context.getBean(ProjectLocator.class)).isSameAs(projects);
                    assertThat(context).hasBean("mlregistryServlet");
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
