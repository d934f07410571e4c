/**
 * The registry's web interface as a servlet: {@code org.mlregistry.web} ({@code WebInterface},
 * {@code WebInterfaceServlet}). Its pages, views, templates (compiled to Java at build time) and sessions are its own.
 */
@SuppressWarnings("requires-automatic") // jte's runtime is an automatic module
module org.mlregistry.web {
    requires transitive org.mlregistry.core;
    requires transitive jakarta.servlet;
    requires gg.jte.runtime;
    requires org.commonmark;
    requires org.slf4j;
    requires static java.compiler; // @Generated on the compiled templates, a source-only annotation

    exports org.mlregistry.web;
}
