package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.testing.TestRegistry;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** A full disk through Jetty and the file-system store: 507 with a JSON body, and the server keeps serving. */
class DiskFullHttpTest {

    /**
     * Sends a PUT of {@code size} bytes on one thread while reading the answer on this one, as curl does: the
     * server answers as soon as the disk is full, before the body is all sent, and then closes.
     */
    private static String putWhileReading(JettyHarness jetty, String path, int size) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", jetty.uri("/").getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: x\r\nPRIVATE-TOKEN: " + TestRegistry.TOKEN + "\r\nContent-Length: " + size
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread sender = new Thread(() -> {
                try {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the server stopped reading: expected once it has answered
                }
            });
            sender.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (SocketException e) {
                // reset after the answer arrived
            }
            sender.join(20_000);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static final String ROUTE = "/api/v4/projects/6/packages/ml_models/1/files/";

    @Test
    void answers507ForAnUploadThatDoesNotFitAndKeepsServing() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(4L << 20).build())) {
            Path root = Files.createDirectories(fs.getPath("/srv/models"));
            Files.createDirectories(root.resolve("6/1"));
            try (FileSystemModelFileStore store = new FileSystemModelFileStore(root);
                 JettyHarness jetty = new JettyHarness(new ModelRegistryServlet(TestRegistry.of(store)), "/", "/api/v4/*")) {
                String full = putWhileReading(jetty, ROUTE + "big.bin", 8 << 20);
                assertThat(full).startsWith("HTTP/1.1 507 ").endsWith("{\"message\":\"507 Insufficient Storage\"}");
                HttpResponse<String> small = jetty.send(HttpRequest.newBuilder(jetty.uri(ROUTE + "small.bin"))
                        .header("PRIVATE-TOKEN", TestRegistry.TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])));
                assertThat(small.statusCode()).isEqualTo(201);
                assertThat(jetty.get(ROUTE + "small.bin", "PRIVATE-TOKEN", TestRegistry.TOKEN).statusCode()).isEqualTo(200);
                assertThat(jetty.get(ROUTE + "big.bin", "PRIVATE-TOKEN", TestRegistry.TOKEN).statusCode()).isEqualTo(404);
            }
        }
    }
}
