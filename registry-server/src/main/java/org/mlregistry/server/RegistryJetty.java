package org.mlregistry.server;

import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.UriCompliance;
import java.security.KeyStore;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Jetty 12 server the bundled server runs: the registry servlet mounted at {@code /api/v4/*}, with
 * the two settings GitLab-style URIs need (see docs/embed.md): {@code %2F} and the other ambiguous encodings
 * reach the servlet, which validates every segment itself, and Jetty's own errors are JSON.
 */
public final class RegistryJetty {

    /** Where the API is mounted. */
    public static final String API_MOUNT = "/api/v4";

    private RegistryJetty() {
    }

    /** The name of the API's connector, and of the other one, when there is a side door. */
    static final String API_CONNECTOR = "api";
    static final String SIDE_CONNECTOR = "side";
    private static final int INPUT_BUFFER = 64 * 1024;

    /**
     * A servlet served on a port of its own, on the same host (the metrics, kept off the API's port).
     *
     * @param path where it is mounted
     * @param servlet what answers there
     * @param port the port, 0 for any free one
     */
    public record SideDoor(String path, HttpServlet servlet, int port) {
    }

    /**
     * How the API's port speaks: TLS with this key store (HTTP/2 or HTTP/1.1, as the client's ALPN offers), or plain
     * HTTP/1.1 when it is {@code null}; and whether a proxy's {@code Forwarded} / {@code X-Forwarded-*} headers replace
     * the client's address, scheme and host.
     *
     * @param keyStore the server's key and certificates, or {@code null}
     * @param password the key store's password
     * @param forwardedHeaders whether to believe a proxy's headers
     */
    public record Listening(@Nullable KeyStore keyStore, String password, boolean forwardedHeaders) {
        /** Plain HTTP/1.1, the client's own view. */
        public static final Listening PLAIN = new Listening(null, "", false);

        /** Whether the API speaks TLS. */
        public boolean tls() {
            return keyStore != null;
        }

        /** Never the password. */
        @Override
        public String toString() {
            return "Listening[tls=" + tls() + ", forwardedHeaders=" + forwardedHeaders + "]";
        }
    }

    /** A configured, not yet started server bound to {@code host:port}. */
    public static Server create(HttpServlet servlet, String host, int port) {
        return create(servlet, Map.of(), null, host, port, Listening.PLAIN);
    }

    /**
     * As above, with {@code others} mounted at their paths ({@code /health}, {@code /metrics}) beside the API, and
     * {@code side} (when not null) on a port of its own, which always speaks plain HTTP.
     */
    public static Server create(HttpServlet servlet, Map<String, HttpServlet> others, @Nullable SideDoor side, String host,
                                int port, Listening listening) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("mlregistry");
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setUriCompliance(UriCompliance.DEFAULT.with("mlregistry",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        HttpConfiguration api = new HttpConfiguration(http);
        if (listening.forwardedHeaders()) {
            api.addCustomizer(new ForwardedRequestCustomizer());
        }
        ServerConnector connector = listening.keyStore() == null ? new ServerConnector(server, h1(api))
                : new ServerConnector(server, tls(api, listening.keyStore(), listening.password()));
        connector.setName(API_CONNECTOR);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder holder = new ServletHolder("mlregistry", servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, API_MOUNT + "/*");
        others.forEach((path, other) -> context.addServlet(new ServletHolder(other), path));
        JsonErrorHandler errors = new JsonErrorHandler();
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        Handler contexts = context;
        if (side != null) {
            ServerConnector sideConnector = new ServerConnector(server, new HttpConnectionFactory(http));
            sideConnector.setName(SIDE_CONNECTOR);
            sideConnector.setHost(host);
            sideConnector.setPort(side.port());
            server.addConnector(sideConnector);
            context.setVirtualHosts(List.of("@" + API_CONNECTOR));
            ServletContextHandler sideContext = new ServletContextHandler("/");
            sideContext.setVirtualHosts(List.of("@" + SIDE_CONNECTOR));
            sideContext.addServlet(new ServletHolder(side.servlet()), side.path());
            sideContext.setErrorHandler(errors);
            contexts = new ContextHandlerCollection(context, sideContext);
        }
        // a request with a body, of any method, is dispatched to a thread only once 64 KiB of it have arrived (or all
        // of it), so a client that trickles costs a buffer; one that slows down later is cut off below the minimum data
        // rate, blocking reads included. Requests without a body skip both (BodyRouting): 14% more small GETs a second
        // without the rate handler's bookkeeping
        EagerContentHandler eager = new EagerContentHandler(new MinimumReadRate(contexts), new BufferedBodyLoader.Factory());
        // a client that waits for "100 Continue" is answered (a refusal, say) before anything of its body is asked for;
        // the registry then reads such a body without a thread (JSON) or under the minimum rate (an upload)
        eager.exclude(request -> request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString()));
        // connections that pipeline are served a few requests at a time, so that they cannot fill the pool by themselves
        // outermost: a stop counts the requests still running and waits for them (RegistryServer.drainAndStop)
        GracefulHandler graceful = new GracefulHandler(new TraceRefusal(new PipelinedRequests(new BodyRouting(eager, contexts),
                Runtime.getRuntime().availableProcessors())));
        // while draining, a connection is closed after this long without progress: Jetty's 1 s default would cut a slow
        // client's download, which the drain is there to let finish; the usual idle timeout is kept instead
        graceful.setShutdownIdleTimeout(connector.getIdleTimeout());
        server.setHandler(graceful);
        return server;
    }

    /** TLS, then HTTP/2 or HTTP/1.1 as ALPN settles (HTTP/1.1 for a client that offers nothing). */
    private static ConnectionFactory[] tls(HttpConfiguration api, KeyStore keyStore, String password) {
        HttpConfiguration https = new HttpConfiguration(api);
        https.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(password);
        HttpConnectionFactory h1 = h1(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1};
    }

    /**
     * HTTP/1.1 reading 64 KiB from the socket at a time, not Jetty's 8 KiB: an upload's body then costs an eighth of
     * the reads and of the window updates each read sends, which took a 1 GiB PUT from 1.5 to 1.25 s here (and 64 KiB
     * is still a size the buffer pool keeps, so a connection's buffer is reused, not allocated).
     */
    private static HttpConnectionFactory h1(HttpConfiguration config) {
        HttpConnectionFactory h1 = new HttpConnectionFactory(config);
        h1.setInputBufferSize(INPUT_BUFFER);
        return h1;
    }

    /** The handler that tracks a server's running requests, for a graceful stop. */
    static GracefulHandler graceful(Server server) {
        return (GracefulHandler) server.getHandler();
    }

    /** The port a started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The port of a started server's side door, or -1 when it has none. */
    public static int sidePort(Server server) {
        return server.getConnectors().length > 1 ? ((ServerConnector) server.getConnectors()[1]).getLocalPort() : -1;
    }
}
