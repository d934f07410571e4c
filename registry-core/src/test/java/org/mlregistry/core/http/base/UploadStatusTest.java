package org.mlregistry.core.http.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersionRef;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.TestRegistry;

/**
 * The upload's {@code status} parameter: {@code default} (or none) stores the file; {@code hidden} and anything else
 * are a 400 with a JSON message and store nothing, as GitLab validates the parameter ({@code default} or
 * {@code hidden}); this registry has no hidden files.
 */
class UploadStatusTest {

    static final String URL = "/api/v4/projects/5/packages/ml_models/1/files/model.bin";
    static final String[] AUTH = {"PRIVATE-TOKEN", TestRegistry.TOKEN};

    InMemoryModelFileStore store;
    InMemoryHttp http;

    @BeforeEach
    void setUp() {
        store = new InMemoryModelFileStore(Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));
        store.put(5, ModelVersionRef.ofVersion(1), FilePath.of("config.json"), new byte[] {'{', '}'}); // the version exists
        http = new InMemoryHttp(TestRegistry.of(store));
    }

    @ParameterizedTest(name = "?{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "                          | 201 | 201 Created",
        "status=default            | 201 | 201 Created",
        "other=1&status=default    | 201 | 201 Created",
        "status=%64efault          | 201 | 201 Created",
        "status=bogus              | 400 | 400 Bad request - status does not have a valid value",
        "status=                   | 400 | 400 Bad request - status does not have a valid value",
        "status                    | 400 | 400 Bad request - status does not have a valid value",
        "status=DEFAULT            | 400 | 400 Bad request - status does not have a valid value",
        "status=default&status=x   | 400 | 400 Bad request - status does not have a valid value",
        "status=%ZZ                | 400 | 400 Bad request - status does not have a valid value",
        "st%61tus=hidden           | 400 | 400 Bad request - status hidden is not supported: every file of a version is listed",
        "status=hidden             | 400 | 400 Bad request - status hidden is not supported: every file of a version is listed",
    })
    void acceptsDefaultAndRefusesEveryOtherStatusBeforeStoring(String query, int status, String message) throws Exception {
        if (query != null) {
            assertThat(http.put(URL + "?" + query, new byte[] {1}).statusCode()).as("credentials are judged first").isEqualTo(401);
        }
        String url = query == null ? URL : URL + "?" + query;
        InMemoryResponse r = http.put(url, "weights".getBytes(StandardCharsets.UTF_8), AUTH);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.bodyText()).isEqualTo("{\"message\":\"" + message + "\"}");
        assertThat(store.find(5, ModelVersionRef.ofVersion(1), FilePath.of("model.bin")).isPresent()).isEqualTo(status == 201);
    }
}
