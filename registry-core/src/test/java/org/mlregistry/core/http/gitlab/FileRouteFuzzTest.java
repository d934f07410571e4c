package org.mlregistry.core.http.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.base.RejectedRequest;

/**
 * The file route's parser under arbitrary raw paths: it matches, or refuses with a {@link RejectedRequest} or
 * {@link RegistryException}, and a path it accepts for an upload names a file without a dot segment or a slash in a
 * segment, and the same file for a read. Replays {@code FileRouteFuzzTestInputs/} in {@code mvn verify}.
 */
class FileRouteFuzzTest {

    @FuzzTest
    void routes(FuzzedDataProvider data) {
        String rawPath = data.consumeRemainingAsString();
        List<String> segments = RouteParser.segments(rawPath);
        if (segments == null) {
            return;
        }
        assertThat(RouteParser.info(segments).template()).isEqualTo(RouteParser.TEMPLATE);
        try {
            Route route = RouteParser.parse(segments, true);
            assertThat(route.file().segments()).allMatch(s -> !s.equals("..") && !s.equals(".") && !s.contains("/"));
            assertThat(RouteParser.parse(segments, false)).isEqualTo(route);
        } catch (RejectedRequest | RegistryException expected) {
            // a refusal: what a bad path must get
        }
    }
}
