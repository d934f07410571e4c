package org.mlregistry.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.web.page.WebExchange;
import org.mlregistry.web.page.WebPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web interface as a Jakarta Servlet: glue that wraps the request and response for {@link WebInterface}'s pages and
 * answers a plain 500 page, logged once, for anything they did not expect. Mount it at {@code /*} (the bundled server
 * does, beside the API at {@code /api/v4/*}) or under a prefix such as {@code /ui/*}; its links follow the mount.
 *
 * <p>Threading: safe for concurrent requests.
 */
public class WebInterfaceServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebInterfaceServlet.class);

    private final transient WebInterface web;

    /** Serves {@code web}. */
    public WebInterfaceServlet(WebInterface web) {
        this.web = Objects.requireNonNull(web, "web");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String mount = mount(req);
        String uri = req.getRequestURI();
        String below = uri.length() > mount.length() ? uri.substring(mount.length()) : "/";
        Exchange exchange = new Exchange(req, resp);
        try {
            web.pages().handle(exchange, mount, below);
        } catch (IOException e) {
            if (resp.isCommitted()) {
                LOG.debug("web request {} {} ended early: {}", req.getMethod(), uri, e.toString()); // the client went away
            } else {
                LOG.warn("web request {} {} failed: {}", req.getMethod(), uri, e.toString()); // storage or catalog
            }
            failed(exchange, resp);
        } catch (RuntimeException e) {
            LOG.error("web request {} {} failed", req.getMethod(), uri, e);
            failed(exchange, resp);
        }
    }

    private static void failed(Exchange exchange, HttpServletResponse resp) throws IOException {
        if (!resp.isCommitted()) {
            resp.reset();
            WebPages.securityHeaders(exchange);
            resp.setStatus(500);
            resp.setContentType("text/plain;charset=utf-8");
            resp.getWriter().write("500 Internal Server Error");
        }
    }

    /** The context path and the mapping's prefix ({@code /ui} of {@code /ui/*}), raw; empty at the root. */
    private static String mount(HttpServletRequest req) {
        String context = req.getContextPath() == null ? "" : req.getContextPath();
        HttpServletMapping mapping = req.getHttpServletMapping();
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH && mapping.getPattern().endsWith("/*")) {
            String prefix = mapping.getPattern().substring(0, mapping.getPattern().length() - 2);
            if (req.getRequestURI().startsWith(context + prefix)) {
                return context + prefix;
            }
        }
        return context;
    }

    /** The servlet request and response as the pages' exchange. */
    private static final class Exchange implements WebExchange {
        private final HttpServletRequest req;
        private final HttpServletResponse resp;

        Exchange(HttpServletRequest req, HttpServletResponse resp) {
            this.req = req;
            this.resp = resp;
        }

        @Override
        public String method() {
            return req.getMethod();
        }

        @Override
        public @Nullable String rawQuery() {
            return req.getQueryString();
        }

        @Override
        public @Nullable String header(String name) {
            return req.getHeader(name);
        }

        @Override
        public Optional<String> cookie(String name) {
            Cookie[] cookies = req.getCookies();
            if (cookies != null) {
                for (Cookie c : cookies) {
                    if (c.getName().equals(name)) {
                        return Optional.of(c.getValue());
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public boolean secure() {
            return req.isSecure();
        }

        @Override
        public String origin() {
            String scheme = req.getScheme();
            int port = req.getServerPort();
            boolean usual = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443) || port <= 0;
            String host = req.getServerName();
            return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + (usual ? "" : ":" + port);
        }

        @Override
        public long contentLength() {
            return req.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            return req.getInputStream();
        }

        @Override
        public void status(int code) {
            resp.setStatus(code);
        }

        @Override
        public void header(String name, String value) {
            resp.setHeader(name, value);
        }

        @Override
        public void addCookie(String setCookie) {
            resp.addHeader("Set-Cookie", setCookie);
        }

        @Override
        public OutputStream output() throws IOException {
            return resp.getOutputStream();
        }
    }
}
