package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Project;
import org.mlregistry.core.testing.CredentialHeaders;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.Outcome;
import org.mlregistry.core.testing.PermissionTable;
import org.mlregistry.core.testing.RegistryFixture;

/** The permission table through the HTTP handler, for GET, HEAD and PUT: status, exact body and headers. */
class PermissionTableHandlerTest {

    private InMemoryModelFileStore files;
    private InMemoryHttp http;

    @BeforeEach
    void setUp() {
        files = new InMemoryModelFileStore(RegistryFixture.CLOCK);
        for (Project p : RegistryFixture.TARGETS) {
            files.put(p.id(), RegistryFixture.VERSION, FilePath.of(RegistryFixture.FILE), RegistryFixture.content(p));
        }
        http = new InMemoryHttp(RegistryFixture.registry(files, true));
    }

    static Stream<Arguments> table() {
        return PermissionTable.rows().flatMap(row -> Stream.of("GET", "HEAD", "PUT").map(m -> Arguments.of(m, row)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void answersAsTheTableSays(String method, PermissionTable.Row row) {
        Project project = row.project();
        boolean put = method.equals("PUT");
        // reads name the project by its encoded path, writes by id: both forms are exercised
        String id = put ? Long.toString(project.id()) : project.fullPath().replace("/", "%2F");
        String file = put ? "uploads/" + row.caller().name().toLowerCase(Locale.ROOT) + ".bin" : RegistryFixture.FILE;
        byte[] upload = ("uploaded by " + row.caller()).getBytes(StandardCharsets.UTF_8);
        InMemoryRequest request = InMemoryRequest.of(method, "/api/v4/projects/" + id + "/packages/ml_models/1/files/" + file)
                .headers(CredentialHeaders.of(row.caller().credentialFor(project.id())));
        if (put) {
            request.body(upload);
        }
        InMemoryResponse response = http.send(request);

        Outcome expected = put ? row.write() : row.read();
        assertThat(response.statusCode()).isEqualTo(expected.status());
        if (method.equals("HEAD")) {
            assertThat(response.bodyBytes()).isEmpty();
        } else if (expected == Outcome.OK) {
            assertThat(response.bodyBytes()).isEqualTo(RegistryFixture.content(project));
        } else {
            assertThat(response.bodyText()).isEqualTo(expected.body(project.fullPath()));
            assertThat(response.header("Content-Type")).contains("application/json");
        }
        if (expected.status() == 401) {
            assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm="));
        }
        if (put) {
            var stored = files.find(project.id(), RegistryFixture.VERSION, FilePath.parse(file));
            assertThat(stored.isPresent()).isEqualTo(expected == Outcome.CREATED);
        }
    }
}
