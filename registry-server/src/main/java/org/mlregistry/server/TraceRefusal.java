package org.mlregistry.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code TRACE} (and its old twin {@code TRACK}) with 405 and a JSON body on every path of the server: a
 * servlet's default {@code doTrace} echoes the request's headers, {@code Authorization}, {@code PRIVATE-TOKEN} and
 * cookies included, into the body, which is how cross-site tracing reads credentials a script may not.
 *
 * <p>Threading: stateless.
 */
final class TraceRefusal extends Handler.Wrapper {

    static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE";
    private static final byte[] BODY = "{\"message\":\"405 Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8);

    TraceRefusal(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!method.equals("TRACE") && !method.equals("TRACK")) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
        response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
        response.write(true, ByteBuffer.wrap(BODY), callback);
        return true;
    }
}
