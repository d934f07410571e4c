package org.mlregistry.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An S3 endpoint that forwards to a real one (s3proxy without signature checks) and fails on demand: cuts
 * object downloads off halfway, answers upload parts with 503, or answers everything with 500. What S3 does on a bad day, made
 * repeatable.
 */
final class FaultyS3 implements AutoCloseable {

    enum Fault { NONE, CUT_DOWNLOADS, FAIL_UPLOAD_PARTS, INTERNAL_ERROR }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final Server server = new Server();
    private final HttpClient upstream = HttpClient.newHttpClient();
    private final URI target;
    volatile Fault fault = Fault.NONE;

    FaultyS3(URI target) throws Exception {
        this.target = target;
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                forward(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    private void forward(Request request, Response response, Callback callback) throws IOException, InterruptedException {
        String method = request.getMethod();
        String query = request.getHttpURI().getQuery();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readAllBytes(); // a test proxy: parts are a few MiB
        }
        if (fault == Fault.INTERNAL_ERROR) {
            response.setStatus(500);
            String error = "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>";
            response.write(true, java.nio.ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        if (fault == Fault.FAIL_UPLOAD_PARTS && method.equals("PUT") && query != null && query.contains("partNumber=")) {
            response.setStatus(503);
            response.write(true, java.nio.ByteBuffer.wrap("<Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target + request.getHttpURI().getPathQuery()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (HttpField f : request.getHeaders()) {
            if (!NOT_FORWARDED.contains(f.getLowerCaseName())) {
                out.header(f.getName(), f.getValue());
            }
        }
        HttpResponse<InputStream> answer = upstream.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        answer.headers().firstValue("Content-Length").ifPresent(v -> response.getHeaders().put("Content-Length", v));
        boolean cut = fault == Fault.CUT_DOWNLOADS && method.equals("GET") && answer.statusCode() / 100 == 2 && query == null;
        try (InputStream in = answer.body(); OutputStream sink = Content.Sink.asOutputStream(response)) {
            if (cut) {
                long half = answer.headers().firstValueAsLong("Content-Length").orElse(0) / 2;
                sink.write(in.readNBytes((int) half));
                sink.flush();
                callback.failed(new IOException("S3 went away mid-object")); // the connection is dropped
                return;
            }
            in.transferTo(sink);
        }
        callback.succeeded();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the fault proxy did not stop", e);
        }
    }
}
