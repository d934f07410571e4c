package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.testing.TestRegistry;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** A full disk through Jetty and the file-system store: 507 with a JSON body, and the server keeps serving. */
class DiskFullHttpTest {

    private static final String ROUTE = "/api/v4/projects/6/packages/ml_models/1/files/";

    @Test
    void answers507ForAnUploadThatDoesNotFitAndKeepsServing() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(4L << 20).build())) {
            Path root = Files.createDirectories(fs.getPath("/srv/models"));
            Files.createDirectories(root.resolve("6/1"));
            try (FileSystemModelFileStore store = new FileSystemModelFileStore(root);
                 JettyHarness jetty = new JettyHarness(new ModelRegistryServlet(TestRegistry.of(store)), "/", "/api/v4/*")) {
                HttpResponse<String> full = jetty.send(HttpRequest.newBuilder(jetty.uri(ROUTE + "big.bin"))
                        .header("PRIVATE-TOKEN", TestRegistry.TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[8 << 20])));
                assertThat(full.statusCode()).isEqualTo(507);
                assertThat(full.body()).isEqualTo("{\"message\":\"507 Insufficient Storage\"}");
                HttpResponse<String> small = jetty.send(HttpRequest.newBuilder(jetty.uri(ROUTE + "small.bin"))
                        .header("PRIVATE-TOKEN", TestRegistry.TOKEN).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])));
                assertThat(small.statusCode()).isEqualTo(201);
                assertThat(jetty.get(ROUTE + "small.bin", "PRIVATE-TOKEN", TestRegistry.TOKEN).statusCode()).isEqualTo(200);
                assertThat(jetty.get(ROUTE + "big.bin", "PRIVATE-TOKEN", TestRegistry.TOKEN).statusCode()).isEqualTo(404);
            }
        }
    }
}
