package org.mlregistry.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/** The web.xml way: a no-argument servlet that finds its registry in a context attribute, or fails fast. */
class ContextAttributeTest {

    private static Server server(Object attribute) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (attribute != null) {
            context.setAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE, attribute);
        }
        ServletHolder holder = new ServletHolder(ModelRegistryServlet.class);
        holder.setInitOrder(1); // initialize at start, as load-on-startup does
        context.addServlet(holder, "/api/v4/*");
        server.setHandler(context);
        return server;
    }

    @Test
    void servesTheRegistryFoundInTheContextAttribute(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("5/1"));
        Files.writeString(root.resolve("5/1/model.bin"), "from web.xml");
        Server server = server(TestRegistry.of(new FileSystemModelFileStore(root)));
        server.start();
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v4/projects/5/packages/ml_models/1/files/model.bin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("from web.xml");
        } finally {
            server.stop();
        }
    }

    @Test
    void failsAtStartWithoutTheAttribute() throws Exception {
        Server server = server(null);
        try {
            server.start();
            ServletContextHandler context = (ServletContextHandler) server.getHandler();
            ServletHolder holder = context.getServletHandler().getServlets()[0];
            assertThat(holder.isAvailable()).isFalse();
            assertThat(holder.getUnavailableException()).hasMessageContaining(ModelRegistryServlet.REGISTRY_ATTRIBUTE);
        } catch (Exception e) {
            assertThat(e).hasStackTraceContaining(ModelRegistryServlet.REGISTRY_ATTRIBUTE);
        } finally {
            server.stop();
        }
    }
}
