package org.mlregistry.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the errors Jetty answers by itself (a malformed URI, a header too large, an unmapped path) look
 * like the registry's own: {@code {"message":"400 Bad Request"}}, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** The method Jetty gives a request it could not parse. */
    private static final String BAD = "BAD";

    /** Every method gets a body, PUT included (Jetty's default answers only GET, POST and HEAD with one). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        // a HEAD answer has no body. A request Jetty refused while parsing it (a URI too long, a bad escape) reaches here
        // as method "BAD", whatever it was: it keeps its JSON (a GET needs it) and its connection is closed after it, so
        // that a HEAD client that stops reading at the headers cannot take the body for the start of a next answer
        byte[] body = HttpMethod.HEAD.is(request.getMethod()) ? new byte[0] : body(code);
        if (BAD.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static byte[] body(int code) {
        // status line text only: Jetty's detail messages may quote the request
        String text = code + " " + HttpStatus.getMessage(code);
        return ("{\"message\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
