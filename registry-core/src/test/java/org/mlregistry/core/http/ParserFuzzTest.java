package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Caller;
import org.mlregistry.core.testing.InMemoryRequest;

/**
 * Every parser that reads client text, each under arbitrary input: the only way out is the documented
 * refusal ({@link RejectedRequest}, {@link RegistryException}, or for decoding an
 * {@link IllegalArgumentException}); anything else (an index out of bounds, a number format error, an
 * endless loop) is a finding. Results are checked where they have a meaning to check (ranges stay inside
 * the file). In {@code mvn verify} each target replays its inputs under {@code ParserFuzzTestInputs/}; to
 * fuzz one for 5 minutes: {@code JAZZER_FUZZ=1 mvn -pl registry-core test -Dtest='ParserFuzzTest#ranges'}.
 */
class ParserFuzzTest {

    private static final String[] CREDENTIAL_HEADERS = {"Authorization", "PRIVATE-TOKEN", "JOB-TOKEN", "Deploy-Token"};

    @FuzzTest
    void routes(FuzzedDataProvider data) {
        String rawPath = data.consumeRemainingAsString();
        try {
            List<String> segments = RouteParser.segments(rawPath);
            if (segments != null) {
                assertThat(RouteParser.info(segments).template()).isEqualTo(RouteParser.TEMPLATE);
                Route route = RouteParser.parse(segments);
                assertThat(route.file().segments()).allMatch(s -> !s.equals("..") && !s.equals(".") && !s.contains("/"));
            }
        } catch (RejectedRequest | RegistryException expected) {
            // a refusal: what a bad path must get
        }
        MlflowRoute mlflow = MlflowRoute.match(rawPath);
        if (mlflow != null) {
            assertThat(mlflow.info().template()).startsWith("/projects/:id/ml/mlflow");
        }
        HubRoute hub = HubRoute.match(rawPath);
        if (hub != null) {
            assertThat(hub.info().template()).startsWith("/projects/:id/hf");
        }
    }

    @FuzzTest
    void percentDecoding(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        try {
            String decoded = PercentDecoding.decode(raw);
            if (raw.indexOf('%') < 0) {
                assertThat(decoded).isEqualTo(raw);
            }
        } catch (IllegalArgumentException expected) {
            // a malformed escape or invalid UTF-8
        }
    }

    @FuzzTest
    void ranges(FuzzedDataProvider data) {
        long size = data.consumeLong(0, Long.MAX_VALUE / 2);
        RangeRequest r = RangeRequest.parse(data.consumeRemainingAsString(), size);
        if (r.kind() == RangeRequest.Kind.PARTIAL) {
            assertThat(r.ranges()).isNotEmpty().allMatch(b -> b.first() >= 0 && b.first() <= b.last() && b.last() < size);
        }
    }

    @FuzzTest
    void validators(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        assertThat(HttpDates.parse(value)).isNotNull();
        assertThat(EntityTag.parse(value)).isNotNull();
        List<EntityTag> tags = EntityTag.parseList(value);
        if (tags != null) {
            assertThat(tags).doesNotContainNull();
        }
    }

    @FuzzTest
    void credentials(FuzzedDataProvider data) {
        InMemoryRequest request = InMemoryRequest.of("GET", "/projects/1/packages/ml_models/1/files/a"
                + (data.consumeBoolean() ? "?" + data.consumeString(40) : ""));
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            request.header(data.pickValue(CREDENTIAL_HEADERS), data.consumeString(200));
        }
        try {
            Caller caller = CredentialExtractor.extract(request);
            assertThat(caller).isNotNull();
        } catch (RejectedRequest | RegistryException expected) {
            // 400 or 401
        }
    }

    @FuzzTest
    void hubQueries(FuzzedDataProvider data) {
        String query = data.consumeRemainingAsString();
        try {
            HubQuery q = HubQuery.parse(query);
            assertThat(q.limit()).isBetween(1, HubQuery.MAX_LIMIT);
            assertThat(q.cursor()).isNotNegative();
            assertThat(HubQuery.parse(q.withCursor(q.cursor()))).isEqualTo(q);
        } catch (RejectedRequest expected) {
            // a known parameter with a bad value
        }
    }

    @FuzzTest
    void mlflowParams(FuzzedDataProvider data) throws Exception {
        String query = data.consumeString(60);
        byte[] body = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        InMemoryRequest request = InMemoryRequest.of("POST", "/projects/1/ml/mlflow/api/2.0/mlflow/model-versions/create?" + query)
                .body(body);
        try {
            MlflowParams.read(request);
        } catch (RejectedRequest | RegistryException expected) {
            // not JSON, not an object, a bad escape
        }
    }
}
