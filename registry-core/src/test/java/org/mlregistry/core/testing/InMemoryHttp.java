package org.mlregistry.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.http.RegistryHttpExchange;
import org.mlregistry.core.http.RegistryHttpHandler;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.RouteInfo;

/**
 * Drives a {@link RegistryHttpHandler} through in-memory exchanges: the whole HTTP protocol of the
 * registry, tested without a container. Shipped in the core test-jar.
 *
 * <pre>{@code
 * InMemoryHttp http = new InMemoryHttp(registry);
 * InMemoryResponse r = http.get("/api/v4/projects/5/packages/ml_models/1/files/model.bin", "PRIVATE-TOKEN", token);
 * assertThat(r.statusCode()).isEqualTo(200);
 * }</pre>
 */
public final class InMemoryHttp {

    private final RegistryHttpHandler handler;

    /** Serves {@code registry} with the fixture's clock. */
    public InMemoryHttp(ModelRegistry registry) {
        this(new RegistryHttpHandler(registry, RegistryFixture.CLOCK));
    }

    /** Serves through {@code handler}. */
    public InMemoryHttp(RegistryHttpHandler handler) {
        this.handler = handler;
    }

    /**
     * Sends {@code request}; an {@link IOException} the handler lets through (a storage failure, which a
     * container answers with 500) is rethrown unchecked.
     */
    public InMemoryResponse send(InMemoryRequest request) {
        InMemoryResponse response = new InMemoryResponse("HEAD".equals(request.method()));
        try {
            handler.handle(new RegistryHttpExchange() {
                @Override
                public RegistryHttpRequest request() {
                    return request;
                }

                @Override
                public RegistryHttpResponse response() {
                    return response;
                }

                @Override
                public void route(RouteInfo route) {
                    response.route(route);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response;
    }

    /** A GET with headers given as name, value, name, value... */
    public InMemoryResponse get(String pathAndQuery, String... headers) {
        return send(InMemoryRequest.of("GET", pathAndQuery).headers(headers));
    }

    /** A HEAD with headers given as name, value, ... */
    public InMemoryResponse head(String pathAndQuery, String... headers) {
        return send(InMemoryRequest.of("HEAD", pathAndQuery).headers(headers));
    }

    /** A POST of a JSON {@code body} with headers given as name, value, ... */
    public InMemoryResponse post(String pathAndQuery, String json, String... headers) {
        return send(InMemoryRequest.of("POST", pathAndQuery).headers(headers).header("Content-Type", "application/json")
                .body(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A PUT of {@code body} with headers given as name, value, ... */
    public InMemoryResponse put(String pathAndQuery, byte[] body, String... headers) {
        return send(InMemoryRequest.of("PUT", pathAndQuery).headers(headers).body(body));
    }
}
