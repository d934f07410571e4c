package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.ProjectRef;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * The whole HTTP handler under random requests: method, a path built from the routes' own words and
 * fuzzed segments, credential and conditional headers, and a body, against a small in-memory registry
 * with a catalog. Invariants: nothing escapes the handler (a container would answer 500), no 5xx, every
 * error is a JSON object, and a file body (200 or a single range) holds bytes of a file of the addressed
 * version only. In {@code mvn verify} it replays {@code HandlerFuzzTestInputs/}; to fuzz (5 minutes):
 * {@code JAZZER_FUZZ=1 mvn -pl registry-core test -Dtest='HandlerFuzzTest#anyRequest'}.
 */
class HandlerFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] METHODS = {"GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "get", "TRACE"};
    private static final String[] PROJECTS = {"5", "6", "open%2Fmodels", "Team%2FSub%2FSecret-Models", "0", "-1",
        "99999999999999999999", "%2F", ""};
    private static final String[] WORDS = {"packages", "ml_models", "files", "ml", "mlflow", "api", "2.0", "mlflow-artifacts",
        "artifacts", "registered-models", "model-versions", "create", "get", "search", "delete", "hf", "resolve", "main",
        "tree", "revision", "models", "p6", "p5", "sentiment", "1.0.0", "1", "2", "candidate:1", "config.json", "sub",
        "w.bin", "..", ".", "%2e%2e", "%2F", "%00", "%ZZ", "a b", "", "?", "%25"};
    private static final String[] HEADERS = {"Authorization", "PRIVATE-TOKEN", "JOB-TOKEN", "Deploy-Token", "Range", "If-Range",
        "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Content-Length", "X-Checksum-Sha256",
        "Content-Digest", "Repr-Digest", "Content-Type", "Expect"};
    private static final String[] VALUES = {"Bearer " + TestRegistry.TOKEN, TestRegistry.TOKEN, "Basic ZGV2OmdscGF0LWRvd25sb2FkdGVzdA==",
        "Bearer", "bytes=0-3", "bytes=-2", "bytes=5-", "bytes=0-0,2-3", "bytes=9999-", "*", "\"x\"", "W/\"x\"",
        "Sun, 06 Nov 1994 08:49:37 GMT", "Mon, 01 Jun 2026 12:00:00 GMT", "0", "-1", "application/json", "100-continue"};

    /** One registry for all runs: creating it per input would cost more than the request. */
    private static final Fixture FIXTURE = new Fixture();

    private static final class Fixture {
        final ModelRegistry registry;
        final InMemoryHttp http;
        final List<byte[]> contents = new ArrayList<>();

        Fixture() {
            InMemoryModelFileStore store = new InMemoryModelFileStore(RegistryFixture.CLOCK);
            registry = TestRegistry.builder().store(store).catalog(new InMemoryModelCatalog()).clock(RegistryFixture.CLOCK).build();
            http = new InMemoryHttp(registry);
            Caller dev = Caller.presenting(Credential.of(Credential.Transport.BEARER, TestRegistry.TOKEN));
            try {
                for (long project : new long[] {5, 6}) {
                    registry.models().create(dev, ProjectRef.ofId(project), "sentiment", "", List.of());
                    ModelVersion v = registry.models().createVersion(dev, ProjectRef.ofId(project), "sentiment", "1.0.0", "", List.of());
                    put(store, project, v, "config.json", "{\"p\":" + project + "}");
                    put(store, project, v, "sub/w.bin", "weights of " + project);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void put(InMemoryModelFileStore store, long project, ModelVersion v, String path, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            store.put(project, v.ref(), FilePath.parse(path), bytes);
            contents.add(bytes);
        }
    }

    @FuzzTest
    void anyRequest(FuzzedDataProvider data) throws Exception {
        String method = data.pickValue(METHODS);
        StringBuilder path = new StringBuilder(data.consumeBoolean() ? "/api/v4/projects/" : "/projects/");
        path.append(data.consumeBoolean() ? data.pickValue(PROJECTS) : data.consumeString(12));
        int segments = data.consumeInt(0, 9);
        for (int i = 0; i < segments; i++) {
            path.append('/').append(data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(10));
        }
        if (data.consumeBoolean()) {
            path.append('?').append(data.consumeString(30));
        }
        String target = path.toString();
        if (target.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '#')) {
            return; // not a request line a container would hand over
        }
        InMemoryRequest request = InMemoryRequest.of(method, target);
        int headers = data.consumeInt(0, 4);
        for (int i = 0; i < headers; i++) {
            String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(40);
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                continue; // a container refuses control characters in fields
            }
            request.header(data.pickValue(HEADERS), value);
        }
        byte[] body = data.consumeBytes(64);
        boolean withBody = data.consumeBoolean();
        if (withBody) {
            request.body(body);
        }

        InMemoryResponse response = FIXTURE.http.send(request); // an IOException escaping is a 500: fails here
        int status = response.statusCode();
        if (withBody && (status == 200 || status == 201)) {
            synchronized (FIXTURE.contents) {
                if (FIXTURE.contents.stream().noneMatch(c -> java.util.Arrays.equals(c, body))) {
                    FIXTURE.contents.add(body.clone()); // stored: its bytes are servable from now on
                }
            }
        }
        assertThat(status).as(method + " " + target).isBetween(200, 499);
        if (status >= 400 && !"HEAD".equals(method)) {
            assertThat(response.header("Content-Type")).as(method + " " + target).hasValue("application/json");
            JsonNode error = JSON.readTree(response.bodyBytes());
            assertThat(error.isObject()).as(method + " " + target).isTrue();
        }
        String template = response.route().template();
        boolean fileBody = (template.endsWith("*path") && template.contains("files")) || template.contains("resolve")
                || template.contains("artifacts/:model_version_id");
        if (fileBody && "GET".equals(method) && (status == 200 || status == 206)
                && !response.header("Content-Type").orElse("").startsWith("multipart/")) {
            byte[] served = response.bodyBytes();
            synchronized (FIXTURE.contents) {
                assertThat(FIXTURE.contents).as(method + " " + target).anyMatch(c -> contains(c, served));
            }
        }
    }

    private static boolean contains(byte[] whole, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= whole.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (whole[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
