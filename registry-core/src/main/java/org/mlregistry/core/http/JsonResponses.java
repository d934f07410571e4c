package org.mlregistry.core.http;

import java.io.IOException;
import java.io.OutputStream;

/** Sends a complete JSON response with its length. */
final class JsonResponses {
    private JsonResponses() {
    }

    static void send(RegistryHttpResponse response, int status, JsonBody body) throws IOException {
        byte[] bytes = body.toBytes();
        response.status(status);
        response.header("Content-Type", "application/json");
        response.header("Content-Length", Integer.toString(bytes.length));
        try (OutputStream out = response.body()) {
            out.write(bytes);
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }
}
