package org.mlregistry.examples.spring;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlregistry.core.memory.InMemoryProjectLocator;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.model.Role;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Visibility;
import org.mlregistry.core.spi.ProjectLocator;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot 4 application that serves the model registry beside its own controllers, through
 * {@code mlregistry-spring-boot-starter}: the servlet at {@code /api/v4}, files under {@code mlregistry.storage-root}, the
 * catalog's tables in the application's own {@code DataSource}, {@code /actuator/health} and the Tomcat {@code %2F}
 * setting come from the starter. What the application adds: its users' tokens ({@link AppTokens}, checked by
 * {@link AppTokenAuthenticator}, which the starter uses instead of its property-based tokens) and its projects.
 *
 * <p>Run it with {@code java -jar examples/spring-boot/target/examples-spring-boot.jar}: it prints a token of
 * {@code alice} and a {@code curl} command, as the bundled server's {@code --demo} does.
 */
@SpringBootApplication
public class RegistryApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(RegistryApplication.class, args);
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

    /** At start-up, a token for {@code alice} (shown once) and what to do with it. */
    @Bean
    @ConditionalOnProperty(name = "mlregistry.example.print-token", matchIfMissing = true)
    ApplicationRunner printToken(AppTokens tokens, Environment environment) {
        return args -> {
            String token = tokens.issue("alice", Set.of(Scope.API));
            // known once the server listens, which is before runners run
            String api = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080") + "/api/v4/projects/team%2Fmodels";
            System.out.println("Token of alice (developer of team/models, scope api; shown once): " + token);
            System.out.println("Point an MLflow client at the project:");
            System.out.println("  export MLFLOW_TRACKING_URI=" + api.replace("team%2Fmodels", "1") + "/ml/mlflow");
            System.out.println("  export MLFLOW_TRACKING_TOKEN=" + token);
            System.out.println("Or upload and download a file of version 1 once it exists:");
            System.out.println("  curl --header \"PRIVATE-TOKEN: " + token + "\" \"" + api + "/packages/ml_models/1/files/model.bin\"");
        };
    }
}
