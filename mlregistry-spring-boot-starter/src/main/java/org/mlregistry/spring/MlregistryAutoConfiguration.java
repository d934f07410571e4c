package org.mlregistry.spring;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryVersion;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.memory.InMemoryTokenAuthenticator;
import org.mlregistry.core.memory.StoredToken;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.BlobStore;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.ModelFileStore;
import org.mlregistry.core.spi.ProjectLocator;
import org.mlregistry.core.spi.RegistryObserver;
import org.mlregistry.core.spi.TokenAuthenticator;
import org.mlregistry.metrics.MicrometerObserver;
import org.mlregistry.servlet.ModelRegistryServlet;
import org.mlregistry.storage.fs.FileSystemModelFileStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves GitLab's model registry API inside a Spring Boot servlet application from properties alone: the
 * {@link ModelRegistryServlet} at {@code mlregistry.path} (default {@code /api/v4}), files under
 * {@code mlregistry.storage-root}, models and versions in the application's {@code DataSource}, projects and tokens from
 * {@code mlregistry.projects} and {@code mlregistry.tokens}, the registry's meters on the application's
 * {@code MeterRegistry}, an Actuator health indicator named {@code mlregistry}, and Tomcat set to pass the {@code %2F}
 * of GitLab project paths. Every bean is {@code @ConditionalOnMissingBean}: declare your own {@link TokenAuthenticator}
 * (your users), {@link ProjectLocator}, {@link ModelFileStore}, {@link ModelCatalog} or {@link ModelRegistry} and the
 * starter uses it instead.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ModelRegistryServlet.class)
@EnableConfigurationProperties(MlregistryProperties.class)
public class MlregistryAutoConfiguration {

    /** Files on disk under {@code mlregistry.storage-root}, created if missing; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ModelFileStore.class)
    FileSystemModelFileStore mlregistryFileStore(MlregistryProperties properties) throws IOException {
        Path root = properties.storageRoot();
        if (root == null) {
            throw new IllegalStateException("mlregistry.storage-root is not set: name the directory for model files, "
                    + "or declare a ModelFileStore bean");
        }
        return new FileSystemModelFileStore(Files.createDirectories(root));
    }

    /** The projects of {@code mlregistry.projects}. */
    @Bean
    @ConditionalOnMissingBean(ProjectLocator.class)
    ProjectLocator mlregistryProjects(MlregistryProperties properties) {
        return new InMemoryProjectLocator(properties.projects().stream().map(MlregistryAutoConfiguration::project).toList());
    }

    /** The tokens of {@code mlregistry.tokens}. */
    @Bean
    @ConditionalOnMissingBean(TokenAuthenticator.class)
    TokenAuthenticator mlregistryTokens(MlregistryProperties properties) {
        return new InMemoryTokenAuthenticator(Clock.systemUTC(), properties.tokens().stream().map(MlregistryAutoConfiguration::token)
                .toList());
    }

    /**
     * The registry over those beans, the application's {@code DataSource} (migrated now) and its meters. Created after
     * the application's own database initialization (its Flyway or Liquibase, {@code schema.sql}), which would refuse
     * a schema the registry's tables were already in.
     */
    @Bean
    @ConditionalOnMissingBean(ModelRegistry.class)
    @DependsOnDatabaseInitialization
    ModelRegistry modelRegistry(MlregistryProperties properties, ModelFileStore store, ProjectLocator projects, TokenAuthenticator tokens,
                                ObjectProvider<ModelCatalog> catalogs, ObjectProvider<DataSource> dataSources,
                                ObjectProvider<RegistryObserver> observers, ObjectProvider<BlobStore> blobStores) {
        ModelRegistry.Builder builder = ModelRegistry.builder().store(store).projects(projects).tokens(tokens)
                .guestsCanReadPrivate(properties.guestsCanReadPrivate()).maxFileSizeBytes(properties.maxFileSize().toBytes())
                .observer(observers.getIfAvailable(() -> RegistryObserver.NONE));
        ModelCatalog catalog = catalogs.getIfAvailable();
        if (catalog == null && properties.catalog() == MlregistryProperties.Catalog.DATASOURCE) {
            DataSource dataSource = dataSources.getIfAvailable();
            if (dataSource != null) {
                catalog = JdbcModelCatalog.migrate(dataSource);
            }
        }
        if (catalog != null) {
            builder.catalog(catalog);
            // files as manifests and blobs when the application declares a BlobStore bean (and runs the upkeep:
            // registry.blobs()); otherwise they stay paths in the store, as before
            BlobStore blobs = blobStores.getIfAvailable();
            if (blobs != null) {
                builder.blobs(blobs);
            }
        }
        return builder.build();
    }

    /** The servlet at {@code mlregistry.path}, asynchronous (large bodies never hold a thread). */
    @Bean
    @ConditionalOnMissingBean(name = "mlregistryServlet")
    ServletRegistrationBean<ModelRegistryServlet> mlregistryServlet(ModelRegistry registry, MlregistryProperties properties) {
        String path = properties.path().endsWith("/") ? properties.path().substring(0, properties.path().length() - 1) : properties.path();
        ServletRegistrationBean<ModelRegistryServlet> bean = new ServletRegistrationBean<>(new ModelRegistryServlet(registry), path + "/*");
        bean.setName("mlregistry");
        bean.setAsyncSupported(true);
        return bean;
    }

    private static Project project(MlregistryProperties.ProjectProperties p) {
        Map<String, Role> members = new LinkedHashMap<>();
        p.members().forEach((user, role) -> members.put(user, Role.parse(role)));
        return new Project(p.id(), p.path(), Visibility.parse(p.visibility()), members, Set.of());
    }

    private static StoredToken token(MlregistryProperties.TokenProperties t) {
        Sha256 sha = Sha256.parseHex(t.sha256());
        Set<Scope> scopes = new LinkedHashSet<>();
        t.scopes().forEach(s -> scopes.add(Scope.parse(s)));
        return switch (t.kind().toLowerCase(Locale.ROOT)) {
            case "personal" -> StoredToken.personal(required(t.user(), "user"), sha, scopes, t.expiresAt(), false);
            case "job" -> StoredToken.job(required(t.user(), "user"), required(t.project(), "project"), sha, true);
            case "deploy" -> StoredToken.deploy(required(t.project(), "project"), sha, scopes, t.expiresAt(), false);
            default -> throw new IllegalArgumentException("mlregistry.tokens[].kind must be personal, job or deploy");
        };
    }

    private static <T> T required(@org.jspecify.annotations.Nullable T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("mlregistry.tokens[]." + name + " is required for this kind of token");
        }
        return value;
    }

    /** The registry's meters on the application's {@code MeterRegistry}, when there is one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean(RegistryObserver.class)
        RegistryObserver mlregistryObserver(ObjectProvider<MeterRegistry> meters) {
            MeterRegistry registry = meters.getIfAvailable();
            return registry == null ? RegistryObserver.NONE : new MicrometerObserver(registry);
        }
    }

    /** {@code /actuator/health}'s {@code mlregistry} component: up when storage and catalog answer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "mlregistryHealthIndicator")
        HealthIndicator mlregistryHealthIndicator(ModelRegistry registry) {
            return () -> {
                org.mlregistry.core.Health health = registry.health();
                return (health.healthy() ? Health.up() : Health.down()).withDetail("storage", word(health.storage()))
                        .withDetail("catalog", word(health.catalog())).withDetail("version", RegistryVersion.current()).build();
            };
        }

        private static String word(boolean ok) {
            return ok ? "ok" : "unavailable";
        }
    }

    /** Tomcat rejects {@code %2F} by default; GitLab project paths ({@code team%2Fmodels}) need it passed through. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({TomcatServletWebServerFactory.class, EncodedSolidusHandling.class})
    @ConditionalOnProperty(prefix = "mlregistry", name = "pass-encoded-slashes", matchIfMissing = true)
    static class TomcatConfiguration {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> mlregistryEncodedSlashes() {
            return factory -> factory.addConnectorCustomizers(
                    connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
        }
    }
}
