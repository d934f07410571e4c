package org.mlregistry.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.ResponseBody;
import org.mlregistry.core.http.RouteInfo;

/**
 * A response captured in memory by {@link InMemoryHttp}: status, headers and the whole body, drained
 * synchronously. It refuses what a container would refuse (headers after the body started), so a handler
 * that gets the order wrong fails here as it would in production; and like a container it sends no body
 * in answer to HEAD.
 */
public final class InMemoryResponse implements RegistryHttpResponse {
    private final boolean head;
    private int status = 200;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean committed;
    private RouteInfo route = RouteInfo.UNMATCHED;

    InMemoryResponse(boolean head) {
        this.head = head;
    }

    @Override
    public void status(int code) {
        uncommitted();
        this.status = code;
    }

    @Override
    public void header(String name, String value) {
        uncommitted();
        headers.put(name, value);
    }

    @Override
    public void contentType(String mediaType) {
        header("Content-Type", mediaType);
    }

    @Override
    public void contentLength(long bytes) {
        header("Content-Length", Long.toString(bytes));
    }

    @Override
    public OutputStream body() {
        committed = true;
        return head ? OutputStream.nullOutputStream() : body;
    }

    @Override
    public void send(ResponseBody content) throws IOException {
        committed = true;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (content) {
            while (content.fill(buffer.clear())) {
                buffer.flip();
                if (!head) {
                    body.write(buffer.array(), 0, buffer.limit());
                }
            }
        }
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    private void uncommitted() {
        if (committed) {
            throw new IllegalStateException("the response is committed");
        }
    }

    void route(RouteInfo info) {
        this.route = info;
    }

    /** What the handler said the request addressed (for access logs and metrics). */
    public RouteInfo route() {
        return route;
    }

    /** The status code sent. */
    public int statusCode() {
        return status;
    }

    /** A header's value, if it was set. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** Every header set, by name (case-insensitive). */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /** The body bytes. */
    public byte[] bodyBytes() {
        return body.toByteArray();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
