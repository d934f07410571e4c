package org.mlregistry.core.http.mlflow;

import org.mlregistry.core.http.RegistryHttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a search answer, bounded in bytes as well as in entries: entries (each already JSON) are taken while
 * the page stays within its budget, and the first always, so that a client paging through sees every entry once.
 * Sent as {@code {"<field>": [...], "next_page_token": "..."}}.
 *
 * <p>Threading: not thread-safe; one per answer.
 */
final class JsonPage {

    private final long budget;
    private final List<byte[]> entries = new ArrayList<>();
    private long bytes;

    JsonPage(long budget) {
        this.budget = budget;
    }

    /** Takes {@code entry} if the page has room for it (an empty page always has); false when it is full. */
    boolean add(byte[] entry) {
        if (!entries.isEmpty() && bytes + entry.length > budget) {
            return false;
        }
        entries.add(entry);
        bytes += entry.length;
        return true;
    }

    /** How many entries the page holds. */
    int size() {
        return entries.size();
    }

    /** Sends the page as the whole 200 answer. */
    void send(RegistryHttpResponse response, String field, @Nullable String nextPageToken) throws IOException {
        MlflowJson.send(response, g -> {
            g.writeArrayFieldStart(field);
            for (byte[] e : entries) {
                g.writeRawValue(new String(e, StandardCharsets.UTF_8));
            }
            g.writeEndArray();
            if (nextPageToken != null) {
                g.writeStringField("next_page_token", nextPageToken);
            }
        });
    }
}
