package org.mlregistry.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small JSON object of string fields, serialized by Jackson's streaming writer (correct escaping
 * whatever a detail contains), and the one way a complete JSON response is sent.
 */
final class JsonBody {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> fields = new LinkedHashMap<>();

    /** {@code {"message": message}}. */
    static JsonBody message(String message) {
        return new JsonBody().with("message", message);
    }

    JsonBody with(String name, String value) {
        fields.put(name, value);
        return this;
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Sends this object as the whole response with {@code status}; headers already set are kept. */
    void send(RegistryHttpResponse response, int status) throws IOException {
        send(response, status, toBytes());
    }

    /**
     * Sends serialized JSON as the whole response with {@code status}: the one way a JSON answer is written. It goes
     * out as a file's body does ({@link RegistryHttpResponse#send}), so a client that does not read holds no thread.
     */
    static void send(RegistryHttpResponse response, int status, byte[] bytes) throws IOException {
        response.status(status);
        response.contentType("application/json");
        response.contentLength(bytes.length);
        response.send(ResponseBody.of(bytes));
    }
}
