package org.mlregistry.core.http.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.testing.InMemoryRequest;

/**
 * The parsers every protocol shares, each under arbitrary client text: the only way out is the documented refusal
 * ({@link RejectedRequest}, {@link RegistryException}, or for decoding an {@link IllegalArgumentException}); anything
 * else (an index out of bounds, a number format error, an endless loop) is a finding. What they return is checked by
 * a property: ranges stay inside the file, what is parsed writes back to the same value. In {@code mvn verify} each
 * target replays its inputs under {@code WireFuzzTestInputs/}; to fuzz one for 5 minutes:
 * {@code JAZZER_FUZZ=1 mvn -pl registry-core test -Dtest='WireFuzzTest#ranges'}.
 */
class WireFuzzTest {

    private static final String[] CREDENTIAL_HEADERS = {"Authorization", "PRIVATE-TOKEN", "JOB-TOKEN", "Deploy-Token"};

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

    /** A date or entity tag that parses is written back as one that parses to the same value. */
    @FuzzTest
    void validators(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        Optional<Instant> date = HttpDates.parse(value);
        date.ifPresent(d -> assertThat(HttpDates.parse(HttpDates.format(d))).contains(d));
        Optional<EntityTag> tag = EntityTag.parse(value);
        tag.ifPresent(t -> assertThat(EntityTag.parse(t.header())).contains(t));
        List<EntityTag> tags = EntityTag.parseList(value);
        if (tags != null) {
            String written = String.join(", ", tags.stream().map(EntityTag::header).toList());
            assertThat(EntityTag.parseList(written)).isEqualTo(tags);
        }
    }

    /**
     * A request yields a credential exactly when it sends a credential header (else it is refused), and the secret
     * it yields is one the stores can compare: 1 to {@value CredentialExtractor#MAX_SECRET_LENGTH} visible ASCII characters.
     */
    @FuzzTest
    void credentials(FuzzedDataProvider data) {
        InMemoryRequest request = InMemoryRequest.of("GET", "/projects/1/packages/ml_models/1/files/a"
                + (data.consumeBoolean() ? "?" + data.consumeString(40) : ""));
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            request.header(data.pickValue(CREDENTIAL_HEADERS), data.consumeString(200));
        }
        try {
            Optional<Credential> found = CredentialExtractor.extract(request).credential();
            assertThat(found.isPresent()).isEqualTo(n > 0);
            found.ifPresent(c -> assertThat(c.secret()).hasSizeBetween(1, CredentialExtractor.MAX_SECRET_LENGTH)
                    .matches("[\\x21-\\x7e]+"));
        } catch (RejectedRequest | RegistryException expected) {
            // 400 or 401
        }
    }
}
