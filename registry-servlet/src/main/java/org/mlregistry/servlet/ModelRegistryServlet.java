package org.mlregistry.servlet;

import org.mlregistry.core.http.BufferPool;
import org.mlregistry.core.http.AccessLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.http.ClientDisconnectedException;
import org.mlregistry.core.http.RegistryHttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves GitLab's model-file API from any Jakarta Servlet 6 container. It is glue only: it adapts the
 * request to {@link RegistryHttpHandler}, and is the one place where an unexpected failure becomes a
 * logged 500 {@code {"message":"500 Internal Server Error"}}.
 *
 * <p>Mount it at any context path and mapping; the API path ({@code /projects/...}, optionally preceded by
 * {@code /api/v4}) is read from the raw request URI after the mount point, because containers decode or
 * reject the {@code %2F} that GitLab project paths use. The container must let {@code %2F} through (see
 * docs/embed.md: Jetty needs {@code UriCompliance} relaxed and ambiguous URIs decoded, Tomcat
 * {@code encodedSolidusHandling="passthrough"}).
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new ModelRegistryServlet(registry)), "/api/v4/*");
 * }</pre>
 *
 * <p>With {@code web.xml}, use the no-argument constructor and put a {@link ModelRegistry} or a
 * {@link RegistryHttpHandler} in the servlet context attribute {@value #REGISTRY_ATTRIBUTE} before the
 * servlet initializes; {@link #init()} fails fast when it is missing.
 *
 * <p>Threading: safe for concurrent requests, like every servlet.
 */
public class ModelRegistryServlet extends HttpServlet {

    /** The servlet context attribute read by the no-argument constructor's {@link #init()}. */
    public static final String REGISTRY_ATTRIBUTE = "org.mlregistry.registry";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryServlet.class);

    /** Size of the buffers bodies are streamed through: large enough for few syscalls per megabyte. */
    static final int BUFFER_SIZE = 512 * 1024;
    /** Bodies up to this size are streamed through a small heap buffer (when not async, written in one go). */
    static final int SMALL_BODY = 64 * 1024;

    private transient @Nullable Supplier<RegistryHttpHandler> handler;
    private final transient BufferPool heapBuffers = new BufferPool(BUFFER_SIZE, 16, false);
    private final transient BufferPool directBuffers = new BufferPool(BUFFER_SIZE, 64, true);
    private final transient BufferPool smallBuffers = new BufferPool(SMALL_BODY, 256, false);
    private transient AccessLog accessLog = AccessLog.toSlf4j();
    /** Judges the rate of bodies read without a thread; started with the first such body. */
    private transient @Nullable ScheduledExecutorService bodyTimer;
    private volatile boolean linksFromRequest;

    /** For {@code web.xml}: the registry comes from the context attribute {@value #REGISTRY_ATTRIBUTE}. */
    public ModelRegistryServlet() {
    }

    /** Serves {@code registry}. */
    public ModelRegistryServlet(ModelRegistry registry) {
        this(new RegistryHttpHandler(registry));
    }

    /** Serves through {@code handler}. */
    public ModelRegistryServlet(RegistryHttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        this.handler = () -> handler;
    }

    /**
     * Serves whatever handler {@code current} returns at each request: lets a host swap the registry
     * (a reloaded configuration, say) without re-deploying the servlet.
     */
    public ModelRegistryServlet(Supplier<RegistryHttpHandler> current) {
        this.handler = Objects.requireNonNull(current, "current");
    }

    /**
     * Writes the access log to {@code log} (a file, another format: {@link AccessLog#toFile}) instead of the logger
     * {@value AccessLog#LOGGER} in logfmt; the servlet closes it when it is destroyed.
     *
     * @return this servlet
     */
    public ModelRegistryServlet accessLog(AccessLog log) {
        AccessLog previous = this.accessLog;
        this.accessLog = Objects.requireNonNull(log, "log");
        previous.close();
        return this;
    }

    /**
     * Builds the absolute links of answers from the request's scheme, host and port, for a container that rewrites them
     * from a trusted reverse proxy's {@code Forwarded} or {@code X-Forwarded-*} headers (Jetty's
     * {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}, Spring's {@code server.forward-headers-strategy}).
     * Off by default: without such a proxy, the {@code Host} is whatever the client wrote.
     *
     * @return this servlet
     */
    public ModelRegistryServlet linksFromForwardedRequest(boolean enabled) {
        this.linksFromRequest = enabled;
        return this;
    }

    @Override
    public void init() throws ServletException {
        if (handler != null) {
            return;
        }
        Object attribute = getServletContext().getAttribute(REGISTRY_ATTRIBUTE);
        if (attribute instanceof RegistryHttpHandler h) {
            handler = () -> h;
        } else if (attribute instanceof ModelRegistry registry) {
            RegistryHttpHandler h = new RegistryHttpHandler(registry);
            handler = () -> h;
        } else {
            throw new ServletException("servlet context attribute " + REGISTRY_ATTRIBUTE
                    + " must hold a ModelRegistry or a RegistryHttpHandler, found " + attribute);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
        ServletExchange exchange = new ServletExchange(req, resp, heapBuffers, directBuffers, smallBuffers, accessLog,
                this::bodyTimer, linksFromRequest);
        try {
            exchange.rawPath(pathBelowMount(req));
            Supplier<RegistryHttpHandler> current = handler;
            if (current == null) {
                throw new IllegalStateException("the servlet was not initialized");
            }
            RegistryHttpHandler serving = current.get();
            exchange.observer(serving.observer());
            serving.handle(exchange);
        } catch (ClientDisconnectedException e) {
            LOG.debug("client went away during {} {}", req.getMethod(), req.getRequestURI(), e);
        } catch (Throwable t) {
            answerUnexpected(req, resp, exchange, t);
        } finally {
            if (!exchange.isAsync()) {
                exchange.logged(); // an asynchronous body logs when its last byte is written
            }
        }
    }

    /** An unexpected failure: logged once with its request, and answered 500 if nothing was sent yet. */
    static void answerUnexpected(HttpServletRequest req, HttpServletResponse resp, ServletExchange exchange, Throwable t) {
        LOG.error("failed {} {}", req.getMethod(), req.getRequestURI(), t);
        if (!resp.isCommitted()) {
            try {
                resp.reset();
                RegistryHttpHandler.answerInternalError(exchange.response());
            } catch (Throwable second) {
                LOG.debug("could not send the 500 response", second);
            }
        }
    }

    /** Writes the access log lines still pending and stops their writer thread, and the body-rate timer. */
    @Override
    public void destroy() {
        accessLog.close();
        synchronized (this) {
            if (bodyTimer != null) {
                bodyTimer.shutdownNow();
            }
        }
        super.destroy();
    }

    private synchronized ScheduledExecutorService bodyTimer() {
        ScheduledExecutorService timer = bodyTimer;
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlregistry-body-rate");
                t.setDaemon(true);
                return t;
            });
            bodyTimer = timer;
        }
        return timer;
    }

    /** The raw path after context path and servlet mapping prefix, never decoded by the container. */
    static String pathBelowMount(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String context = req.getContextPath();
        int start = context != null && !context.isEmpty() && uri.startsWith(context) ? context.length() : 0;
        String prefix = pathMappingPattern(req.getHttpServletMapping());
        int length = prefix.length() - 2; // without its "/*"
        if (length > 0 && uri.regionMatches(start, prefix, 0, length)
                && (uri.length() == start + length || uri.charAt(start + length) == '/')) {
            start += length;
        }
        return start == 0 ? uri : uri.substring(start); // one copy per request: the path itself
    }

    /** The pattern of a path mapping ({@code /api/v4/*}), the only kind that puts a prefix before the API path; else "". */
    private static String pathMappingPattern(@Nullable HttpServletMapping mapping) {
        if (mapping == null || mapping.getMappingMatch() != MappingMatch.PATH) {
            return "";
        }
        String pattern = mapping.getPattern();
        return pattern != null && pattern.endsWith("/*") ? pattern : "";
    }
}
