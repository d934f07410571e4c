package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request to the web interface and its response, as the pages see them: no container types, so the pages run
 * the same under any servlet container and in tests. The servlet implements it over its request and response.
 *
 * <p>Threading: used by one request's thread.
 */
public interface WebExchange {

    /** The request method, upper case. */
    String method();

    /** The raw query string, or {@code null}. */
    @Nullable String rawQuery();

    /** The first value of a request header, or {@code null}. */
    @Nullable String header(String name);

    /** The value of the request's first cookie of that name. */
    Optional<String> cookie(String name);

    /** Whether the request came over TLS (directly, or as a trusted proxy says). */
    boolean secure();

    /** The origin the browser sees, {@code https://host:port}, for the code snippets when no public URL is set. */
    String origin();

    /** The declared length of the request body, or -1. */
    long contentLength();

    /** The request body; the caller closes it. */
    InputStream body() throws IOException;

    /** Sets the status. */
    void status(int code);

    /** Sets a response header, replacing one of that name. */
    void header(String name, String value);

    /** Adds a {@code Set-Cookie} header (there may be several). */
    void addCookie(String setCookie);

    /** The response body; set status and headers first. */
    OutputStream output() throws IOException;
}
