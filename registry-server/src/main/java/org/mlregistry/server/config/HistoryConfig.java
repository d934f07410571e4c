package org.mlregistry.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Blobs;
import org.mlregistry.core.model.HistoryKeep;

/**
 * The {@code "history"} section: how long earlier revisions of versions' manifests are kept (old Hugging Face commit
 * ids resolve to them), and the garbage collection that forgets them and deletes blobs nothing refers to:
 * {@code {"keep": "all" | "none" | "30d", "graceMinutes": 60, "gcIntervalMinutes": 60}}, every field optional.
 *
 * @param keep how long superseded revisions are kept
 * @param grace how old an unreferenced blob must be before it is deleted (an upload in flight, another node's)
 * @param gcInterval how often the server collects while it runs (it also does when it starts)
 */
public record HistoryConfig(HistoryKeep keep, Duration grace, Duration gcInterval) {

    /** Everything kept; an hour's grace; a collection every hour. */
    public static final HistoryConfig DEFAULT = new HistoryConfig(HistoryKeep.ALL, Blobs.DEFAULT_GRACE, Duration.ofHours(1));
    private static final Set<String> FIELDS = Set.of("keep", "graceMinutes", "gcIntervalMinutes");
    private static final long MAX_MINUTES = 7L * 24 * 60;

    static HistoryConfig parse(@Nullable JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        ConfigParser.object(node, "history", FIELDS);
        HistoryKeep keep = DEFAULT.keep();
        if (node.has("keep")) {
            String text = ConfigParser.text(node.get("keep"), "history.keep");
            try {
                keep = HistoryKeep.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("history.keep", String.valueOf(e.getMessage()));
            }
        }
        Duration grace = node.has("graceMinutes") ? minutes(node.get("graceMinutes"), "history.graceMinutes", 0) : DEFAULT.grace();
        Duration interval = node.has("gcIntervalMinutes") ? minutes(node.get("gcIntervalMinutes"), "history.gcIntervalMinutes", 1)
                : DEFAULT.gcInterval();
        return new HistoryConfig(keep, grace, interval);
    }

    private static Duration minutes(JsonNode node, String field, long least) throws ConfigException {
        long m = ConfigParser.number(node, field);
        if (m < least || m > MAX_MINUTES) {
            throw new ConfigException(field, "must be " + least + " to " + MAX_MINUTES + " (a week)");
        }
        return Duration.ofMinutes(m);
    }
}
