package org.mlregistry.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.mlregistry.core.testing.TestRegistry;

/**
 * A real Jetty 12 on a free loopback port, configured as docs/embed.md tells embedders to: {@code %2F}
 * and the other ambiguous encodings reach the servlet.
 */
final class JettyHarness implements AutoCloseable {

    private final Server server;
    private final int port;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JettyHarness(HttpServlet servlet, String contextPath, String mapping) throws Exception {
        this(servlet, contextPath, mapping, true);
    }

    JettyHarness(HttpServlet servlet, String contextPath, String mapping, boolean asyncSupported) throws Exception {
        server = new Server();
        ServerConnector connector = connector(server);
        ServletContextHandler context = new ServletContextHandler(contextPath);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(asyncSupported);
        context.addServlet(holder, mapping);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    /** A loopback connector on a free port that lets {@code %2F} and the other ambiguous encodings through. */
    static ServerConnector connector(Server server) {
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.DEFAULT.with("mlregistry",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        return connector;
    }

    /** The {@link TestRegistry} over file storage at {@code root}, mounted at {@code /api/v4/*}. */
    static JettyHarness servingFiles(java.nio.file.Path root) throws Exception {
        return new JettyHarness(new ModelRegistryServlet(TestRegistry.of(
                new org.mlregistry.storage.fs.FileSystemModelFileStore(root))), "/", "/api/v4/*");
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /**
     * Sends {@code request} byte for byte over a socket (the JDK client normalizes paths, this does
     * not) and returns the whole response as text.
     */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A GET of {@code rawPath} with {@code Connection: close}, sent verbatim. */
    String rawGet(String rawPath, String... headerLines) throws IOException {
        StringBuilder r = new StringBuilder("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String h : headerLines) {
            r.append(h).append("\r\n");
        }
        return raw(r.append("\r\n").toString());
    }

    @Override
    public void close() {
        stop(server);
    }

    /** Stops {@code server}; a failure to stop fails the test. */
    static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
