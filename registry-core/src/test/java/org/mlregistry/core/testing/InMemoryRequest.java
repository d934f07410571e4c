package org.mlregistry.core.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.RegistryHttpRequest;

/**
 * A request built in memory for {@link InMemoryHttp}: method, raw path (sent exactly as given, never
 * normalized, so encoded and dot segments reach the handler as an attacker would send them), headers and
 * a body.
 */
public final class InMemoryRequest implements RegistryHttpRequest {
    private final String method;
    private final String rawPath;
    private final @Nullable String rawQuery;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private InputStream content = InputStream.nullInputStream();

    private InMemoryRequest(String method, String pathAndQuery) {
        this.method = method;
        int q = pathAndQuery.indexOf('?');
        this.rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        this.rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
    }

    /** A request for {@code pathAndQuery} (raw, as on the request line). */
    public static InMemoryRequest of(String method, String pathAndQuery) {
        return new InMemoryRequest(method, pathAndQuery);
    }

    /** Adds a header value (repeatable). */
    public InMemoryRequest header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /** Adds headers given as name, value, name, value... */
    public InMemoryRequest headers(String... namesAndValues) {
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            header(namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    /** The body, with its {@code Content-Length}. */
    public InMemoryRequest body(byte[] bytes) {
        this.content = new ByteArrayInputStream(bytes.clone());
        return header("Content-Length", Integer.toString(bytes.length));
    }

    /** A body of unknown length, as a chunked upload sends it. */
    public InMemoryRequest streamedBody(InputStream in) {
        this.content = in;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public @Nullable String rawQuery() {
        return rawQuery;
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(headers.getOrDefault(name, List.of()));
    }

    @Override
    public InputStream content() {
        return content;
    }
}
