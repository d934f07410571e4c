package org.mlregistry.examples.spring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.servlet.ModelRegistryServlet;
import org.mlregistry.servlet.RegistryHealthServlet;
import org.mlregistry.storage.fs.FileSystemModelFileStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot 4 application that serves the model registry beside its own controllers. What it shows:
 * the servlet registered with a {@link ServletRegistrationBean} at {@code /api/v4/*} (async on, for large
 * bodies); tokens checked by an application bean ({@link AppTokens}, through {@link AppTokenAuthenticator});
 * the catalog's tables in the application's own {@link DataSource}, migrated at start-up; and the one
 * Tomcat setting GitLab's {@code %2F} project paths need.
 *
 * <p>Run {@link #main} from an IDE (or add the Spring Boot Maven plugin to package it); the
 * storage root is the property {@code mlregistry.storage-root}.
 */
@SpringBootApplication
public class RegistryApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(RegistryApplication.class, args);
    }

    /** The registry's catalog, in the application's database (Spring Boot's pool), migrated now. */
    @Bean
    ModelCatalog modelCatalog(DataSource dataSource) {
        return JdbcModelCatalog.migrate(dataSource);
    }

    /** Model files on disk; closed with the context. */
    @Bean(destroyMethod = "close")
    FileSystemModelFileStore modelFileStore(@Value("${mlregistry.storage-root}") Path root) throws IOException {
        return new FileSystemModelFileStore(root);
    }

    /**
     * The projects the registry serves. A real application would look them up in its own tables, as
     * {@link AppTokens} does for tokens; one fixed private project keeps the example short.
     */
    @Bean
    ProjectLocator projects() {
        return new InMemoryProjectLocator(List.of(new Project(1, "team/models", Visibility.PRIVATE,
                Map.of("alice", Role.DEVELOPER, "bob", Role.REPORTER), Set.of())));
    }

    @Bean
    ModelRegistry modelRegistry(ProjectLocator projects, AppTokenAuthenticator tokens, FileSystemModelFileStore store,
                                ModelCatalog catalog) {
        return ModelRegistry.builder().projects(projects).tokens(tokens).store(store).catalog(catalog).build();
    }

    /** GitLab's API below {@code /api/v4}; the application's controllers keep every other path. */
    @Bean
    ServletRegistrationBean<ModelRegistryServlet> modelRegistryServlet(ModelRegistry registry) {
        ServletRegistrationBean<ModelRegistryServlet> bean = new ServletRegistrationBean<>(new ModelRegistryServlet(registry),
                "/api/v4/*");
        bean.setName("mlregistry");
        bean.setAsyncSupported(true);
        return bean;
    }

    /** 200 when storage and catalog answer, 503 otherwise. */
    @Bean
    ServletRegistrationBean<RegistryHealthServlet> modelRegistryHealth(ModelRegistry registry) {
        ServletRegistrationBean<RegistryHealthServlet> bean = new ServletRegistrationBean<>(new RegistryHealthServlet(() -> registry),
                "/registry-health");
        bean.setName("mlregistry-health");
        return bean;
    }

    /** Tomcat rejects {@code %2F} in paths by default; GitLab project paths ({@code team%2Fmodels}) need it passed through. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> passEncodedSlashes() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }
}
