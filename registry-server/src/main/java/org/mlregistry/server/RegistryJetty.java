package org.mlregistry.server;

import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Jetty 12 server the bundled server runs: the registry servlet mounted at {@code /api/v4/*}, with
 * the two settings GitLab-style URIs need (see the README): {@code %2F} and the other ambiguous encodings
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

    /**
     * A servlet served on a port of its own, on the same host (the metrics, kept off the API's port).
     *
     * @param path where it is mounted
     * @param servlet what answers there
     * @param port the port, 0 for any free one
     */
    public record SideDoor(String path, HttpServlet servlet, int port) {
    }

    /** A configured, not yet started server bound to {@code host:port}. */
    public static Server create(HttpServlet servlet, String host, int port) {
        return create(servlet, Map.of(), null, host, port);
    }

    /**
     * As above, with {@code others} mounted at their paths ({@code /health}, {@code /metrics}) beside the API, and
     * {@code side} (when not null) on a port of its own.
     */
    public static Server create(HttpServlet servlet, Map<String, HttpServlet> others, @Nullable SideDoor side, String host,
                                int port) {
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
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName(API_CONNECTOR);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler api = new ServletContextHandler("/");
        api.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder holder = new ServletHolder("mlregistry", servlet);
        holder.setAsyncSupported(true);
        api.addServlet(holder, API_MOUNT + "/*");
        others.forEach((path, other) -> api.addServlet(new ServletHolder(other), path));
        JsonErrorHandler errors = new JsonErrorHandler();
        api.setErrorHandler(errors);
        server.setErrorHandler(errors);
        Handler contexts = api;
        if (side != null) {
            ServerConnector sideConnector = new ServerConnector(server, new HttpConnectionFactory(http));
            sideConnector.setName(SIDE_CONNECTOR);
            sideConnector.setHost(host);
            sideConnector.setPort(side.port());
            server.addConnector(sideConnector);
            api.setVirtualHosts(List.of("@" + API_CONNECTOR));
            ServletContextHandler sideContext = new ServletContextHandler("/");
            sideContext.setVirtualHosts(List.of("@" + SIDE_CONNECTOR));
            sideContext.addServlet(new ServletHolder(side.servlet()), side.path());
            sideContext.setErrorHandler(errors);
            contexts = new ContextHandlerCollection(api, sideContext);
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
        server.setHandler(new TraceRefusal(new PipelinedRequests(new BodyRouting(eager, contexts),
                Runtime.getRuntime().availableProcessors())));
        return server;
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
