package org.mlregistry.servlet;

import org.mlregistry.core.http.BufferPool;
import org.mlregistry.core.http.AccessLog;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.mlregistry.core.Authorized;
import org.mlregistry.core.model.FilePath;
import java.net.URISyntaxException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.BodyReceiver;
import org.mlregistry.core.http.ClientDisconnectedException;
import org.mlregistry.core.http.RegistryHttpExchange;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.ResponseBody;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.spi.RegistryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts a servlet request and response to the registry's container-neutral exchange. Where the request supports
 * async, bodies are read ({@link #readBody}) and written ({@link #send}) with non-blocking I/O, so no thread waits on
 * a slow or non-reading client; the exchange is then completed, and its access log line written, when the last of
 * that is done.
 */
final class ServletExchange implements RegistryHttpExchange, RegistryHttpRequest, RegistryHttpResponse {
    private static final Logger LOG = LoggerFactory.getLogger(ServletExchange.class);

    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private final BufferPool heapBuffers;
    private final BufferPool directBuffers;
    private final BufferPool smallBuffers;
    private final AccessLog accessLog;
    private final Supplier<ScheduledExecutorService> timer;
    private final long started = System.nanoTime();
    private final AtomicBoolean logged = new AtomicBoolean();
    private String rawPath = "";
    private volatile RouteInfo route = RouteInfo.UNMATCHED;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicBoolean downloading = new AtomicBoolean();
    /** Whether this exchange went asynchronous: it is completed and logged when its body work is done, not by the servlet. */
    private volatile boolean async;
    /** Whether an {@link AsyncBodyWriter} is writing the response: it completes the exchange. */
    private volatile boolean writing;
    private volatile RegistryObserver observer = RegistryObserver.NONE;
    private final boolean linksFromRequest;
    /** Who the handler authorized, and the file the request addresses: for the access log. */
    private volatile @Nullable Authorized authorized;
    private volatile @Nullable String filePath;
    /** Whether the body was cut off before its last byte. */
    private volatile boolean aborted;

    ServletExchange(HttpServletRequest req, HttpServletResponse resp, BufferPool heapBuffers, BufferPool directBuffers,
                    BufferPool smallBuffers, AccessLog accessLog, Supplier<ScheduledExecutorService> timer, boolean linksFromRequest) {
        this.linksFromRequest = linksFromRequest;
        this.req = req;
        this.resp = resp;
        this.heapBuffers = heapBuffers;
        this.directBuffers = directBuffers;
        this.smallBuffers = smallBuffers;
        this.accessLog = accessLog;
        this.timer = timer;
    }

    @Override
    public void route(RouteInfo info) {
        this.route = info;
    }

    /** Who hears about this request's completion and download (the serving registry's observer). */
    void observer(RegistryObserver registryObserver) {
        this.observer = registryObserver;
    }

    /** True once a body is being read or written asynchronously: the access log line is written when it is done. */
    boolean isAsync() {
        return async;
    }

    /** The request's async context, started here (without a container timeout: the body rate and idle timeout bound it). */
    private AsyncContext asyncContext() {
        if (req.isAsyncStarted()) {
            return req.getAsyncContext();
        }
        AsyncContext context = req.startAsync();
        context.setTimeout(0);
        async = true;
        return context;
    }

    /** Writes this request's access log line, once. */
    void logged() {
        if (logged.compareAndSet(false, true)) {
            long duration = System.nanoTime() - started;
            int status = resp.getStatus();
            if (accessLog.enabled()) {
                Authorized who = authorized;
                accessLog.log(new AccessLog.Entry(req.getMethod(), route, status, bytesSent.get(), duration,
                        String.valueOf(req.getRemoteAddr()), who == null ? "" : who.user(),
                        who == null ? "" : who.kind().map(k -> k.name().toLowerCase(Locale.ROOT)).orElse(""),
                        who == null ? null : who.project().id(), filePath, req.getHeader("User-Agent"), aborted));
            }
            observer.requestCompleted(req.getMethod(), route.template(), status, bytesReceived.get(), bytesSent.get(), duration);
        }
    }

    /** Sets the raw path below the mount point (computed inside the servlet's failure boundary). */
    void rawPath(String path) {
        this.rawPath = path;
    }

    @Override
    public RegistryHttpRequest request() {
        return this;
    }

    @Override
    public RegistryHttpResponse response() {
        return this;
    }

    @Override
    public void authorized(Authorized who) {
        this.authorized = who;
    }

    @Override
    public void file(FilePath path) {
        this.filePath = path.toString();
    }

    @Override
    public @Nullable URI clientBase() {
        if (!linksFromRequest) {
            return null;
        }
        String scheme = req.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null; // a proxy header naming another scheme: links stay relative rather than point anywhere else
        }
        String host = req.getServerName();
        int port = req.getServerPort();
        boolean defaultPort = port <= 0 || (port == 443 && "https".equals(req.getScheme())) || (port == 80 && "http".equals(req.getScheme()));
        try {
            return new URI(scheme, null, host, defaultPort ? -1 : port, req.getContextPath() + req.getServletPath(), null, null);
        } catch (URISyntaxException e) {
            return null; // a host the proxy sent that is no host: links stay relative
        }
    }

    @Override
    public String method() {
        return req.getMethod();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public @Nullable String rawQuery() {
        return req.getQueryString();
    }

    @Override
    public List<String> headers(String name) {
        if (req.getHeader(name) == null) {
            return List.of(); // most headers asked for are absent: no enumeration for them
        }
        var values = req.getHeaders(name);
        // most of the others are single: no list to grow for them
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return List.of(first);
        }
        List<String> all = new ArrayList<>();
        all.add(first);
        while (values.hasMoreElements()) {
            all.add(values.nextElement());
        }
        return all;
    }

    @Override
    public InputStream content() throws IOException {
        InputStream in = req.getInputStream();
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    bytesReceived.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    bytesReceived.addAndGet(n);
                }
                return n;
            }
        };
    }

    /**
     * Reads the body whole: what has arrived at once, and the rest (where the request supports async) as it arrives,
     * without a thread; the receiver then runs on the container's thread that saw the last byte.
     */
    @Override
    public void readBody(int limit, BodyReceiver receiver) throws IOException {
        if (!req.isAsyncSupported()) {
            RegistryHttpRequest.super.readBody(limit, receiver);
            return;
        }
        ServletInputStream in;
        ByteArrayOutputStream early = new ByteArrayOutputStream();
        boolean whole;
        try {
            in = req.getInputStream();
            whole = readAvailable(in, limit, early);
        } catch (IOException e) {
            receiver.failed(BodyReceiver.Failure.BROKEN);
            return;
        }
        if (whole) {
            bytesReceived.set(early.size());
            if (early.size() > limit) {
                receiver.failed(BodyReceiver.Failure.TOO_LARGE);
            } else {
                receiver.received(early.toByteArray());
            }
            return;
        }
        asyncContext();
        AsyncBodyReader.start(in, limit, early, timer.get(), new AsyncBodyReader.Done() {
            @Override
            public void received(byte[] body) {
                bytesReceived.set(body.length);
                finishAsync(() -> receiver.received(body));
            }

            @Override
            public void failed(BodyReceiver.Failure failure) {
                finishAsync(() -> receiver.failed(failure));
            }
        });
    }

    /**
     * Reads what can be read without blocking into {@code early}: true when that is the whole body (or more than
     * {@code limit}), false when the rest is still to come.
     */
    private boolean readAvailable(ServletInputStream in, int limit, ByteArrayOutputStream early) throws IOException {
        long declared = req.getContentLengthLong();
        byte[] chunk = new byte[8192];
        while (true) {
            if (early.size() > limit || (declared >= 0 && early.size() >= declared) || (declared < 0 && in.isFinished())) {
                return true;
            }
            int available = in.available();
            if (available <= 0) {
                return false;
            }
            int n = in.read(chunk, 0, Math.min(Math.min(available, chunk.length), limit + 1 - early.size()));
            if (n < 0) {
                return true;
            }
            early.write(chunk, 0, n);
        }
    }

    /** What an asynchronous step does; failures are answered here, as the servlet answers them for synchronous ones. */
    private interface Step {
        void run() throws IOException;
    }

    /** Runs the last step of an asynchronous exchange; completes it unless a body writer now owns that. */
    private void finishAsync(Step step) {
        try {
            step.run();
        } catch (ClientDisconnectedException e) {
            LOG.debug("client went away during {} {}", req.getMethod(), req.getRequestURI(), e);
        } catch (Throwable t) {
            ModelRegistryServlet.answerUnexpected(req, resp, this, t);
        } finally {
            if (!writing) {
                try {
                    req.getAsyncContext().complete();
                } catch (IllegalStateException alreadyCompleted) {
                    // the container completed it (the client went away)
                }
                logged();
            }
        }
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
    public void contentType(String mediaType) {
        resp.setContentType(mediaType);
    }

    @Override
    public void contentLength(long bytes) {
        resp.setContentLengthLong(bytes);
    }

    @Override
    public OutputStream body() throws IOException {
        ServletOutputStream out = resp.getOutputStream();
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytesSent.addAndGet(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytesSent.incrementAndGet();
            }
        };
    }

    @Override
    public void send(ResponseBody body) throws IOException {
        if (body.isDownload()) {
            observer.downloadStarted();
            downloading.set(true);
        }
        if (!req.isAsyncSupported()) {
            sendBlocking(body);
            return;
        }
        // every body, small ones and JSON answers too: a client that does not read (pipelining, say) must not hold a thread
        boolean startedHere = !req.isAsyncStarted();
        boolean handedOver = false;
        try {
            ServletOutputStream out = resp.getOutputStream();
            BufferPool pool = body.length() <= ModelRegistryServlet.SMALL_BODY ? smallBuffers
                    : ByteBufferWrites.supported(out) ? directBuffers : heapBuffers;
            AsyncContext context = asyncContext();
            writing = true;
            AsyncBodyWriter.start(body, context, out, pool, written -> {
                bytesSent.set(written);
                aborted = written < body.length();
                downloadFinished();
                logged();
            });
            handedOver = true;
        } finally {
            if (!handedOver) {
                // the writer never started: the exchange ends as if it had not gone asynchronous here
                writing = false;
                closeQuietly(body);
                downloadFinished();
                if (startedHere && req.isAsyncStarted()) {
                    async = false; // the servlet logs it
                    try {
                        req.getAsyncContext().complete();
                    } catch (IllegalStateException alreadyCompleted) {
                        // the container completed it
                    }
                }
            }
        }
    }

    /** No async support: the body is streamed on this thread, still in constant memory. */
    private void sendBlocking(ResponseBody body) throws IOException {
        BufferPool pool = body.length() <= ModelRegistryServlet.SMALL_BODY ? smallBuffers : heapBuffers;
        ByteBuffer buffer = pool.acquire();
        try (body) {
            body.writeTo(resp.getOutputStream(), buffer);
            bytesSent.addAndGet(body.length());
        } finally {
            downloadFinished();
            pool.release(buffer);
        }
    }

    private static void closeQuietly(ResponseBody body) {
        try {
            body.close();
        } catch (IOException e) {
            LOG.debug("closing a body that was never sent failed", e);
        }
    }

    /** Ends the download once, however many of the completion paths (async done, failure, sync end) get here. */
    private void downloadFinished() {
        if (downloading.compareAndSet(true, false)) {
            observer.downloadFinished();
        }
    }

    @Override
    public boolean isCommitted() {
        return resp.isCommitted();
    }
}
