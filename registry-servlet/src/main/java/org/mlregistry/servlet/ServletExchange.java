package org.mlregistry.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.http.RegistryHttpExchange;
import org.mlregistry.core.http.RegistryHttpRequest;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.ResponseBody;
import org.mlregistry.core.http.RouteInfo;
import org.mlregistry.core.spi.RegistryObserver;

/** Adapts a servlet request and response to the registry's container-neutral exchange. */
final class ServletExchange implements RegistryHttpExchange, RegistryHttpRequest, RegistryHttpResponse {
    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private final BufferPool heapBuffers;
    private final BufferPool directBuffers;
    private final BufferPool smallBuffers;
    private final AccessLog accessLog;
    private final long started = System.nanoTime();
    private final AtomicBoolean logged = new AtomicBoolean();
    private String rawPath = "";
    private volatile RouteInfo route = RouteInfo.UNMATCHED;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicBoolean downloading = new AtomicBoolean();
    private volatile boolean async;
    private volatile RegistryObserver observer = RegistryObserver.NONE;

    ServletExchange(HttpServletRequest req, HttpServletResponse resp, BufferPool heapBuffers, BufferPool directBuffers,
                    BufferPool smallBuffers, AccessLog accessLog) {
        this.req = req;
        this.resp = resp;
        this.heapBuffers = heapBuffers;
        this.directBuffers = directBuffers;
        this.smallBuffers = smallBuffers;
        this.accessLog = accessLog;
    }

    @Override
    public void route(RouteInfo info) {
        this.route = info;
    }

    /** Who hears about this request's completion and download (the serving registry's observer). */
    void observer(RegistryObserver registryObserver) {
        this.observer = registryObserver;
    }

    /** True once a body is being written asynchronously: the access log line is written when it is done. */
    boolean isAsync() {
        return async;
    }

    /** Writes this request's access log line, once. */
    void logged() {
        if (logged.compareAndSet(false, true)) {
            long duration = System.nanoTime() - started;
            int status = resp.getStatus();
            if (accessLog.enabled()) {
                accessLog.log(req.getMethod(), route, status, bytesSent.get(), duration, String.valueOf(req.getRemoteAddr()));
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
    public String method() {
        return req.getMethod();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String requestUrl() {
        // scheme, host and the path as sent (still encoded), mount point included
        return req.getRequestURL().toString();
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
        observer.downloadStarted();
        downloading.set(true);
        try {
            ServletOutputStream out = resp.getOutputStream();
            // every body, small ones too: a client that does not read (pipelining, say) must not hold a thread
            if (req.isAsyncSupported()) {
                BufferPool pool = body.length() <= ModelRegistryServlet.SMALL_BODY ? smallBuffers
                        : ByteBufferWrites.supported(out) ? directBuffers : heapBuffers;
                async = true;
                AsyncBodyWriter.start(body, req.startAsync(), out, pool, written -> {
                    bytesSent.set(written);
                    downloadFinished();
                    logged();
                });
                return;
            }
        } catch (IOException | RuntimeException e) {
            async = false; // never started: the servlet logs this request itself
            body.close();
            downloadFinished();
            throw e;
        }
        // no async support: stream on this thread, still in constant memory
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
