package org.mlregistry.core.http.base;

import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.ResponseBody;
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
public final class JsonBody {
    private static final JsonFactory JSON = new JsonFactory();

    /** Writes a JSON value with Jackson's streaming writer. */
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** The JSON that {@code writer} writes, in UTF-8: the one way a structured body is serialized. */
    public static byte[] json(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private final Map<String, String> fields = new LinkedHashMap<>();

    /** {@code {"message": message}}. */
    public static JsonBody message(String message) {
        return new JsonBody().with("message", message);
    }

    public JsonBody with(String name, String value) {
        fields.put(name, value);
        return this;
    }

    byte[] toBytes() {
        return json(g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    /** Sends this object as the whole response with {@code status}; headers already set are kept. */
    public void send(RegistryHttpResponse response, int status) throws IOException {
        send(response, status, toBytes());
    }

    /**
     * Sends serialized JSON as the whole response with {@code status}: the one way a JSON answer is written. It goes
     * out as a file's body does ({@link RegistryHttpResponse#send}), so a client that does not read holds no thread.
     */
    public static void send(RegistryHttpResponse response, int status, byte[] bytes) throws IOException {
        response.status(status);
        response.contentType("application/json");
        response.contentLength(bytes.length);
        response.send(ResponseBody.of(bytes));
    }
}
