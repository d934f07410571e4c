package org.mlregistry.servlet;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The container contract on embedded Tomcat 11, configured as docs/embed.md says: the connector passes
 * {@code %2F} through undecoded ({@code encodedSolidusHandling="passthrough"}). Tomcat answers {@code 100 Continue}
 * as soon as it has read a request's headers (its default {@code continueResponseTiming}; with {@code "onRead"} it
 * never sends it to a servlet that reads without blocking).
 */
class TomcatContainerTest extends ContainerContract {

    @Override
    protected boolean continuesOnlyWhenTheBodyIsRead() {
        return false;
    }

    @Override
    protected Container start(Deployment d) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("mlregistry-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setEncodedSolidusHandling("passthrough");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext(d.contextPath().equals("/") ? "" : d.contextPath(), null);
        Object attribute = d.contextAttribute();
        if (attribute != null) {
            // set when the context starts, before the servlet initializes, as a web application's listener would
            context.addServletContainerInitializer((classes, servletContext) ->
                    servletContext.setAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE, attribute), null);
        }
        Wrapper wrapper = d.servlet() == null ? Tomcat.addServlet(context, "mlregistry", ModelRegistryServlet.class.getName())
                : Tomcat.addServlet(context, "mlregistry", d.servlet());
        wrapper.setAsyncSupported(d.asyncSupported());
        wrapper.setLoadOnStartup(1);
        context.addServletMapping(d.mapping(), "mlregistry");
        tomcat.start();
        return Container.of(connector.getLocalPort(), () -> {
            tomcat.stop();
            tomcat.destroy();
        });
    }
}
