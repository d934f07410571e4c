package org.mlregistry.examples.spring;

import org.mlregistry.core.RegistryVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Scope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Spring Boot example on a random port, over real HTTP: the registry beside the application's controller. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistryApplicationTest {

    private static final String PROJECT = "/api/v4/projects/team%2Fmodels";
    private static final Path STORAGE = temporaryDirectory();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry properties) {
        properties.add("mlregistry.storage-root", STORAGE::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    AppTokens tokens;
    @Autowired
    JdbcClient db;

    private final HttpClient client = HttpClient.newHttpClient();

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("mlregistry-spring-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void downloadsAFileUploadedThroughTheRegistryWithAnApplicationToken() throws Exception {
        String token = tokens.issue("alice", Set.of(Scope.API));
        String mlflow = PROJECT + "/ml/mlflow/api/2.0/mlflow/";
        assertThat(send("POST", mlflow + "registered-models/create", token, "{\"name\":\"sentiment\"}".getBytes()).statusCode())
                .isEqualTo(200);
        String created = text(send("POST", mlflow + "model-versions/create", token, "{\"name\":\"sentiment\"}".getBytes()));
        Matcher version = Pattern.compile("\"version\":\"(\\d+)\"").matcher(created);
        assertThat(version.find()).as(created).isTrue();
        byte[] weights = new byte[300_000];
        new Random(7).nextBytes(weights);
        String file = PROJECT + "/packages/ml_models/" + version.group(1) + "/files/weights/model.bin";

        assertThat(send("PUT", file, token, weights).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> download = send("GET", file, token, null);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(weights);
        assertThat(STORAGE.resolve("1/" + version.group(1) + "/weights/model.bin")).hasBinaryContent(weights);
    }

    @Test
    void refusesUnknownTokensAndHidesThePrivateProjectFromAnonymousCallers() throws Exception {
        HttpResponse<byte[]> unknown = send("GET", PROJECT + "/packages/ml_models/1/files/model.bin", "glpat-unknown", null);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(text(unknown)).isEqualTo("{\"message\":\"401 Unauthorized\"}");
        assertThat(send("GET", PROJECT + "/packages/ml_models/1/files/model.bin", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void keepsTheApplicationsOwnControllerAndHealth() throws Exception {
        assertThat(text(send("GET", "/hello", null, null))).isEqualTo("hello from the application");
        HttpResponse<byte[]> health = send("GET", "/actuator/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(text(health)).contains("\"mlregistry\":{\"details\":{\"storage\":\"ok\",\"catalog\":\"ok\",\"version\":\""
                + RegistryVersion.current() + "\"},\"status\":\"UP\"}");
    }

    @Test
    void keepsTheCatalogInTheApplicationsDataSource() {
        long tables = db.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) IN "
                + "('mlregistry_schema_history', 'app_tokens')").query(Long.class).single();
        assertThat(tables).isEqualTo(2);
    }
}
