package org.mlregistry.core.http.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.mlregistry.core.http.base.RejectedRequest;

/**
 * The Hugging Face routes and query under arbitrary client text: a route's template is a fixed word under
 * {@code /projects/:id/hf}, a query parses to bounded values that write back to the same query, or is refused.
 * Replays {@code HubFuzzTestInputs/} in {@code mvn verify}.
 */
class HubFuzzTest {

    @FuzzTest
    void routes(FuzzedDataProvider data) {
        HubRoute hub = HubRoute.match(data.consumeRemainingAsString());
        if (hub != null) {
            assertThat(hub.info().template()).startsWith("/projects/:id/hf");
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
}
