/** The registry as a Jakarta Servlet any web application can mount: {@code ModelRegistryServlet}, and its health check. */
module org.mlregistry.servlet {
    requires transitive org.mlregistry.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports org.mlregistry.servlet;
}
