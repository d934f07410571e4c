package org.mlregistry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Sha256;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot 4 application with the starter, Spring MVC and Actuator, and nothing of the registry but properties:
 * it serves a download by GitLab's route ({@code %2F} project path included), {@code /actuator/health} shows the
 * {@code mlregistry} component, and the application's {@link MeterRegistry} counts the request.
 */
@SpringBootTest(classes = StarterTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "mlregistry.projects[0].id=1", "mlregistry.projects[0].path=team/models", "mlregistry.projects[0].visibility=private",
    "mlregistry.projects[0].members.dev=developer",
    "mlregistry.tokens[0].kind=personal", "mlregistry.tokens[0].user=dev", "mlregistry.tokens[0].scopes=read_api",
    "mlregistry.tokens[0].sha256=" + StarterTest.TOKEN_SHA256,
    "management.endpoints.web.exposure.include=health", "management.endpoint.health.show-components=always",
    "management.endpoint.health.show-details=always", "mlregistry.catalog=none"})
class StarterTest {

    static final String TOKEN = "glpat-starter-test";
    /** {@code printf %s glpat-starter-test | sha256sum}; checked against {@link Sha256#ofSecret} below. */
    static final String TOKEN_SHA256 = "167fe674ac4a4efc522ad53317ab381dfa3178a5b384608e11c860a7d58fdf2b";

    private static final Path ROOT = root();

    /** The application: nothing but the annotation; the starter does the rest. */
    @SpringBootApplication
    static class App {
    }

    private static Path root() {
        try {
            Path root = Files.createTempDirectory("mlregistry-starter");
            Files.createDirectories(root.resolve("1/1"));
            Files.writeString(root.resolve("1/1/model.bin"), "weights from the starter");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("mlregistry.storage-root", ROOT::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private HttpResponse<String> get(String path, Optional<String> token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        token.ifPresent(t -> b.header("PRIVATE-TOKEN", t));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesADownloadReportsItsHealthAndCountsTheRequest() throws Exception {
        assertThat(Sha256.ofSecret(TOKEN).hex()).isEqualTo(TOKEN_SHA256);
        HttpResponse<String> file = get("/api/v4/projects/team%2Fmodels/packages/ml_models/1/files/model.bin", Optional.of(TOKEN));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("weights from the starter");
        assertThat(get("/api/v4/projects/team%2Fmodels/packages/ml_models/1/files/model.bin", Optional.empty()).statusCode())
                .isEqualTo(404);

        JsonNode health = new ObjectMapper().readTree(get("/actuator/health", Optional.empty()).body());
        assertThat(health.at("/components/mlregistry/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/mlregistry/details/storage").asText()).isEqualTo("ok");

        assertThat(meters.find("mlregistry.requests").tag("status", "200").timer()).isNotNull()
                .satisfies(t -> assertThat(t.count()).isEqualTo(1));
    }
}
