package org.mlregistry.examples;

import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the Jetty 12 server the example runs: the registry servlet mounted at {@code /api/v4/*}, with
 * the two settings GitLab-style URIs need (see the README): {@code %2F} and the other ambiguous encodings
 * reach the servlet, which validates every segment itself, and Jetty's own errors are JSON.
 */
public final class RegistryJetty {

    /** Where the API is mounted. */
    public static final String API_MOUNT = "/api/v4";

    private RegistryJetty() {
    }

    /** A configured, not yet started server bound to {@code host:port}. */
    public static Server create(HttpServlet servlet, String host, int port) {
        return create(servlet, Map.of(), host, port);
    }

    /** As above, with {@code others} mounted at their paths ({@code /health}, {@code /metrics}) beside the API. */
    public static Server create(HttpServlet servlet, Map<String, HttpServlet> others, String host, int port) {
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
        // a request with a body, of any method, is dispatched to a thread only once 64 KiB of it have arrived (or all
        // of it), so a client that trickles costs a buffer; one that slows down later is cut off below the minimum data
        // rate, blocking reads included. Requests without a body skip both (BodyRouting): 14% more small GETs a second
        // without the rate handler's bookkeeping
        EagerContentHandler eager = new EagerContentHandler(new MinimumReadRate(context), new BufferedBodyLoader.Factory());
        // a client that waits for "100 Continue" is answered (a refusal, say) before anything of its body is asked for;
        // the registry then reads such a body without a thread (JSON) or under the minimum rate (an upload)
        eager.exclude(request -> request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString()));
        // connections that pipeline are served a few requests at a time, so that they cannot fill the pool by themselves
        server.setHandler(new TraceRefusal(new PipelinedRequests(new BodyRouting(eager, context),
                Runtime.getRuntime().availableProcessors())));
        return server;
    }

    /** The port a started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
