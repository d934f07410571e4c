package org.mlregistry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in an application with its own database and its own Flyway migrations ({@code db/migration/V1__...}):
 * the registry's catalog lives in that database under its own history table, the application's Flyway sees only the
 * application's scripts (the registry's live outside {@code db/migration}, which Flyway scans recursively; with them
 * inside, two version-1 scripts stopped the application), and models, versions and files work through it.
 */
@SpringBootTest(classes = StarterDataSourceTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.datasource.url=jdbc:h2:mem:starter-datasource;DB_CLOSE_DELAY=-1",
    "mlregistry.projects[0].id=1", "mlregistry.projects[0].path=team/models", "mlregistry.projects[0].members.dev=developer",
    "mlregistry.tokens[0].user=dev", "mlregistry.tokens[0].scopes=api", "mlregistry.tokens[0].sha256=" + StarterTest.TOKEN_SHA256})
class StarterDataSourceTest {

    /** The application: nothing but the annotation. */
    @SpringBootApplication
    static class App {
    }

    private static final Path ROOT = root();

    private static Path root() {
        try {
            return Files.createTempDirectory("mlregistry-starter-db");
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
    JdbcTemplate db;

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v4/projects/1" + path))
                .header("PRIVATE-TOKEN", StarterTest.TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keepsTheCatalogInTheApplicationsDatabaseBesideItsOwnMigrations() throws Exception {
        String mlflow = "/ml/mlflow/api/2.0/mlflow/";
        assertThat(send("POST", mlflow + "registered-models/create", "{\"name\":\"churn\"}").statusCode()).isEqualTo(200);
        String id = new ObjectMapper().readTree(send("POST", mlflow + "model-versions/create", "{\"name\":\"churn\"}").body())
                .at("/model_version/version").asText();
        assertThat(send("PUT", "/packages/ml_models/" + id + "/files/model.bin", "weights").statusCode()).isEqualTo(201);
        assertThat(send("GET", "/packages/ml_models/" + id + "/files/model.bin", null).body()).isEqualTo("weights");

        List<String> applied = db.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL' "
                + "ORDER BY \"installed_rank\"", String.class);
        assertThat(applied).containsExactly("V1__app_notes.sql");
        assertThat(db.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) IN "
                + "('mlregistry_schema_history', 'app_notes')", Long.class)).isEqualTo(2);
    }
}
