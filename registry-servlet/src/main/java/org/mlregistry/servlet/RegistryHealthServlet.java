package org.mlregistry.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Health;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryVersion;

/**
 * A health endpoint for load balancers and orchestrators: {@code GET} (or {@code HEAD}) answers 200
 * {@code {"status":"ok","storage":"ok","catalog":"ok","version":"0.1.0"}} when storage and catalog answer, 503 with
 * {@code "unavailable"} in place of {@code "ok"} for whichever does not. It names no host, path or error,
 * so it can stay unauthenticated; the reason is in the registry's log. The version is the registry's
 * ({@link RegistryVersion}), so an operator can tell which build answers.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new RegistryHealthServlet(() -> registry)), "/health");
 * }</pre>
 *
 * <p>Threading: safe for concurrent requests.
 */
public class RegistryHealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient @Nullable Supplier<ModelRegistry> registry;

    /**
     * For {@code web.xml}: checks the {@link ModelRegistry} in the context attribute
     * {@value ModelRegistryServlet#REGISTRY_ATTRIBUTE}, as the no-argument {@link ModelRegistryServlet} serves it.
     */
    public RegistryHealthServlet() {
    }

    /** Checks whatever registry {@code current} returns at each request. */
    public RegistryHealthServlet(Supplier<ModelRegistry> current) {
        this.registry = Objects.requireNonNull(current, "current");
    }

    @Override
    public void init() throws ServletException {
        if (registry != null) {
            return;
        }
        Object attribute = getServletContext().getAttribute(ModelRegistryServlet.REGISTRY_ATTRIBUTE);
        if (!(attribute instanceof ModelRegistry found)) {
            throw new ServletException("servlet context attribute " + ModelRegistryServlet.REGISTRY_ATTRIBUTE
                    + " must hold a ModelRegistry, found " + attribute);
        }
        registry = () -> found;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Supplier<ModelRegistry> current = registry;
        if (current == null) {
            throw new IllegalStateException("the servlet was not initialized");
        }
        Health health = current.get().health();
        byte[] body = ("{\"status\":\"" + word(health.healthy()) + "\",\"storage\":\"" + word(health.storage())
                + "\",\"catalog\":\"" + word(health.catalog()) + "\",\"integrityErrors\":" + health.integrityErrors()
                + ",\"version\":\"" + RegistryVersion.current() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        resp.setStatus(health.healthy() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** Refused: {@code HttpServlet}'s default echoes the request's headers, credentials included. */
    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = "{\"message\":\"405 Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        resp.setHeader("Allow", "GET, HEAD");
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static String word(boolean ok) {
        return ok ? "ok" : "unavailable";
    }
}
