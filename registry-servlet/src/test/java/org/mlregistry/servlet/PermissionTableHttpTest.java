package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.testing.Outcome;
import org.mlregistry.core.testing.PermissionTable;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** The permission table over real HTTP: real Jetty, real files, every method. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionTableHttpTest {

    private Path root;
    private JettyHarness jetty;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("mlregistry-permissions");
        for (Project p : RegistryFixture.TARGETS) {
            Path dir = Files.createDirectories(root.resolve(p.id() + "/1"));
            Files.write(dir.resolve(RegistryFixture.FILE), RegistryFixture.content(p));
        }
        var registry = RegistryFixture.registry(new FileSystemModelFileStore(root), true);
        jetty = new JettyHarness(new ModelRegistryServlet(registry), "/", "/api/v4/*");
    }

    @AfterAll
    void stop() throws Exception {
        jetty.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Arguments> table() {
        return PermissionTable.rows().flatMap(row -> Stream.of("GET", "HEAD", "PUT").map(m -> Arguments.of(m, row)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void answersAsTheTableSays(String method, PermissionTable.Row row) throws IOException, InterruptedException {
        Project project = row.project();
        String[] headers = CredentialHeaders.of(row.caller().credentialFor(project.id()));
        // reads name the project by its encoded path, writes by id: both forms are exercised
        String id = method.equals("PUT") ? Long.toString(project.id()) : project.fullPath().replace("/", "%2F");
        String file = method.equals("PUT") ? "uploads/" + row.caller().name().toLowerCase(Locale.ROOT) + ".bin"
                : RegistryFixture.FILE;
        HttpRequest.Builder request = HttpRequest.newBuilder(
                jetty.uri("/api/v4/projects/" + id + "/packages/ml_models/1/files/" + file));
        if (headers.length > 0) {
            request.headers(headers);
        }
        byte[] upload = ("uploaded by " + row.caller()).getBytes();
        switch (method) {
            case "PUT":
                request.PUT(HttpRequest.BodyPublishers.ofByteArray(upload));
                break;
            case "HEAD":
                request.method("HEAD", HttpRequest.BodyPublishers.noBody());
                break;
            default:
                request.GET();
        }
        HttpResponse<String> response = jetty.send(request);

        Outcome expected = method.equals("PUT") ? row.write() : row.read();
        assertThat(response.statusCode()).isEqualTo(expected.status());
        if (method.equals("HEAD")) {
            assertThat(response.body()).isEmpty();
        } else if (expected == Outcome.OK) {
            assertThat(response.body()).isEqualTo(new String(RegistryFixture.content(project)));
        } else {
            assertThat(response.body()).isEqualTo(expected.body(project.fullPath()));
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
        }
        if (expected.status() == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer realm="));
        }
        Path uploaded = root.resolve(project.id() + "/1/" + file);
        if (method.equals("PUT")) {
            if (expected == Outcome.CREATED) {
                assertThat(uploaded).hasBinaryContent(upload);
            } else {
                assertThat(uploaded).doesNotExist();
            }
        }
    }
}
