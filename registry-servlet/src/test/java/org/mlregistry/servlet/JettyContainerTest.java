package org.mlregistry.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The container contract on Jetty 12 (ee10), configured as docs/embed.md says ({@code %2F} let through). */
class JettyContainerTest extends ContainerContract {

    @Override
    protected Container start(Deployment d) throws Exception {
        Server server = new Server();
        ServerConnector connector = JettyHarness.connector(server);
        ServletContextHandler context = new ServletContextHandler(d.contextPath());
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        if (d.contextAttribute() != null) {
            context.setAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE, d.contextAttribute());
        }
        ServletHolder holder = d.servlet() == null ? new ServletHolder(ModelRegistryServlet.class) : new ServletHolder(d.servlet());
        holder.setInitOrder(1); // initialize at start, as load-on-startup does
        holder.setAsyncSupported(d.asyncSupported());
        context.addServlet(holder, d.mapping());
        server.setHandler(context);
        server.start();
        return Container.of(connector.getLocalPort(), server::stop);
    }
}
