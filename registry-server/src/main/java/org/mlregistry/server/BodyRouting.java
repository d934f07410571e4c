package org.mlregistry.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.mlregistry.core.http.RegistryHttpHandler;

/**
 * Sends a request that carries a body through the handlers that guard bodies (buffering before dispatch, the
 * minimum data rate) and every other one straight to the application: a {@code GET} has no body to wait
 * for or to time, and the statistics and wrappers of the rate handler cost it a noticeable share of a
 * small download's time. An anonymous request goes straight to the application too, body or not: an anonymous
 * caller never writes, so an upload is refused at once without waiting for its body (it was answered 408 after 10 s
 * when its client sent none), and an anonymous MLflow body is read without a thread and under the minimum rate by the
 * servlet itself.
 *
 * <p>Threading: safe for concurrent requests, like every Jetty handler.
 */
final class BodyRouting extends Handler.Wrapper {

    private final Handler withoutBody;

    /** {@code withBody} guards and then reaches {@code withoutBody}, which it must contain. */
    BodyRouting(Handler withBody, Handler withoutBody) {
        super(withBody);
        this.withoutBody = withoutBody;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        return (hasBody(headers) && !anonymous(headers))
                ? super.handle(request, response, callback)
                : withoutBody.handle(request, response, callback);
    }

    private static boolean anonymous(HttpFields headers) {
        for (String name : RegistryHttpHandler.CREDENTIAL_HEADERS) {
            if (headers.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** A body is announced by a non-zero Content-Length or a Transfer-Encoding (RFC 9112 section 6.1). */
    static boolean hasBody(HttpFields headers) {
        if (headers.contains(HttpHeader.TRANSFER_ENCODING)) {
            return true;
        }
        String length = headers.get(HttpHeader.CONTENT_LENGTH);
        return length != null && !length.strip().equals("0");
    }
}
