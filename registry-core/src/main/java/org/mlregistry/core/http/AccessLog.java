package org.mlregistry.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: method, route template, project (its id once the caller was authorized, else as the request
 * named it), model version, file path (once validated), status, bytes sent, duration, client address, user, token
 * kind, user agent (its first {@value #MAX_AGENT} characters) and {@code aborted=true} for an answer cut off before its
 * last byte. Never the raw path or query, never a credential header: no token can reach it. Three formats: logfmt
 * ({@code key=value}, the default), one JSON object per line, and Apache's combined format for tools that read it
 * (its request field is the route template, not the raw URI). Lines go to the SLF4J logger {@value #LOGGER} or to
 * a file of their own.
 *
 * <pre>method=GET route=/projects/:id/packages/ml_models/:model_version_id/files/*path project=5 version=1
 * path=model.bin status=200 bytes=14 duration_ms=3 client=127.0.0.1 user=dev kind=access_token agent="curl/8.5.0"</pre>
 *
 * <p>For container adapters; the servlet module writes one per exchange. Threading: safe for concurrent use.
 */
public final class AccessLog {

    /** The SLF4J logger the lines go to by default. */
    public static final String LOGGER = "org.mlregistry.access";
    /** The longest user agent kept; the rest is cut. */
    public static final int MAX_AGENT = 120;

    /** How lines are written. */
    public enum Format { LOGFMT, JSON, COMBINED }

    /**
     * What one line says.
     *
     * @param method the request method
     * @param route what the handler understood the request to address
     * @param status the status sent
     * @param bytes the body bytes sent
     * @param durationNanos how long the request took
     * @param client the client's address (a trusted proxy's view of it, when the container believes one)
     * @param user the authorized user, or empty
     * @param kind the kind of token presented ({@code access_token}, {@code job}, {@code deploy}), or empty
     * @param projectId the authorized project's id, or {@code null} before authorization
     * @param path the validated file path, or {@code null}
     * @param agent the {@code User-Agent}, or {@code null}
     * @param aborted whether the answer was cut off before its last byte
     */
    public record Entry(String method, RouteInfo route, int status, long bytes, long durationNanos, String client, String user,
                        String kind, @Nullable Long projectId, @Nullable String path, @Nullable String agent, boolean aborted) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Consumer<String> sink;
    private final BooleanSupplier enabled;
    private final @Nullable AutoCloseable closer;
    private final Format format;
    private final Clock clock;

    /** Logfmt lines to {@code sink}, on the calling thread. */
    public AccessLog(Consumer<String> sink) {
        this(sink, () -> true, null, Format.LOGFMT, Clock.systemUTC());
    }

    /** Lines in {@code format} to {@code sink}, on the calling thread; {@code clock} dates combined lines. */
    public AccessLog(Consumer<String> sink, Format format, Clock clock) {
        this(sink, () -> true, null, format, clock);
    }

    private AccessLog(Consumer<String> sink, BooleanSupplier enabled, @Nullable AutoCloseable closer, Format format, Clock clock) {
        this.sink = sink;
        this.enabled = enabled;
        this.closer = closer;
        this.format = format;
        this.clock = clock;
    }

    /**
     * Logfmt lines to SLF4J at INFO, when that level is on for {@value #LOGGER}, written by a background thread
     * ({@link AsyncLines}) so that no request waits for the logging backend.
     */
    public static AccessLog toSlf4j() {
        return toSlf4j(Format.LOGFMT);
    }

    /** As {@link #toSlf4j()}, in {@code format}. */
    public static AccessLog toSlf4j(Format format) {
        Logger log = LoggerFactory.getLogger(LOGGER);
        AsyncLines lines = new AsyncLines(log::info, "mlregistry-access-log");
        return new AccessLog(lines, log::isInfoEnabled, lines, format, Clock.systemUTC());
    }

    /**
     * Lines in {@code format} appended to {@code file} (created if missing), by a background thread; each line is
     * flushed to the file as it is written.
     *
     * @throws IOException when the file cannot be opened for appending
     */
    public static AccessLog toFile(Path file, Format format) throws IOException {
        // a FileOutputStream, not a channel: closing the log interrupts its writer thread, which would close a channel
        // mid-write and lose the last lines (those of downloads a stop cut off)
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true), StandardCharsets.UTF_8));
        AsyncLines lines = new AsyncLines(line -> {
            try {
                out.write(line);
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "mlregistry-access-log");
        return new AccessLog(lines, () -> true, () -> {
            lines.close();
            out.close();
        }, format, Clock.systemUTC());
    }

    /** Writes what is pending and stops the background writer, if any (the servlet is being destroyed). */
    public void close() {
        if (closer != null) {
            try {
                closer.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(AccessLog.class).debug("closing the access log failed", e);
            }
        }
    }

    /** Whether lines are wanted at all: when not, a request costs no line building. */
    public boolean enabled() {
        return enabled.getAsBoolean();
    }

    /** One line for a request: {@code client} is its address; anything but a method or an address becomes {@code -}. */
    public void log(String method, RouteInfo route, int status, long bytes, long durationNanos, String client) {
        log(new Entry(method, route, status, bytes, durationNanos, client, "", "", null, null, null, false));
    }

    /** One line for a request. */
    public void log(Entry e) {
        sink.accept(switch (format) {
            case LOGFMT -> logfmt(e);
            case JSON -> json(e);
            case COMBINED -> combined(e);
        });
    }

    private static String logfmt(Entry e) {
        StringBuilder b = new StringBuilder(256);
        b.append("method=").append(token(e.method())).append(" route=").append(e.route().template())
                .append(" project=").append(project(e)).append(" version=").append(e.route().version());
        if (e.path() != null) {
            b.append(" path=").append(quoted(e.path()));
        }
        b.append(" status=").append(e.status()).append(" bytes=").append(e.bytes()).append(" duration_ms=")
                .append(e.durationNanos() / 1_000_000).append(" client=").append(address(e.client()));
        if (!e.user().isEmpty()) {
            b.append(" user=").append(quoted(e.user()));
        }
        if (!e.kind().isEmpty()) {
            b.append(" kind=").append(e.kind());
        }
        if (e.agent() != null) {
            b.append(" agent=").append(quoted(agent(e.agent())));
        }
        if (e.aborted()) {
            b.append(" aborted=true");
        }
        return b.toString();
    }

    private static String json(Entry e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("method", token(e.method()));
            g.writeStringField("route", e.route().template());
            g.writeStringField("project", project(e));
            g.writeStringField("version", e.route().version());
            if (e.path() != null) {
                g.writeStringField("path", e.path());
            }
            g.writeNumberField("status", e.status());
            g.writeNumberField("bytes", e.bytes());
            g.writeNumberField("duration_ms", e.durationNanos() / 1_000_000);
            g.writeStringField("client", address(e.client()));
            if (!e.user().isEmpty()) {
                g.writeStringField("user", e.user());
            }
            if (!e.kind().isEmpty()) {
                g.writeStringField("kind", e.kind());
            }
            if (e.agent() != null) {
                g.writeStringField("agent", agent(e.agent()));
            }
            g.writeBooleanField("aborted", e.aborted());
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }

    /** Apache's combined format; the request is the route template, as no raw URI is ever logged. */
    private String combined(Entry e) {
        return address(e.client()) + " - " + (e.user().isEmpty() ? "-" : clfUser(e.user())) + " [" + CLF.format(clock.instant()) + "] \""
                + token(e.method()) + " " + e.route().template() + " HTTP/1.1\" " + e.status() + " " + e.bytes() + " \"-\" \""
                + (e.agent() == null ? "-" : clf(agent(e.agent()))) + "\"";
    }

    private static String project(Entry e) {
        return e.projectId() != null ? e.projectId().toString() : e.route().project();
    }

    private static String agent(String agent) {
        return agent.length() <= MAX_AGENT ? agent : agent.substring(0, MAX_AGENT);
    }

    /**
     * An IP address, or {@code -}: a proxy's forwarded header can name the client with any text (a pasted token, say),
     * and only hex digits, {@code .} and {@code :} are kept; IPv6 brackets are dropped.
     */
    private static String address(String s) {
        String a = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        return a.isEmpty() || a.length() > 45 || !a.chars().allMatch(c -> (c < 128 && Character.digit(c, 16) >= 0) || c == '.' || c == ':') ? "-" : a;
    }

    /** Upper- and lower-case letters, digits and {@code .:-} only: a method or an address, never free text. */
    private static String token(String s) {
        return s.isEmpty() || !s.chars().allMatch(c -> (Character.isLetterOrDigit(c) && c < 128) || c == '.' || c == ':' || c == '-')
                ? "-" : s;
    }

    /** A logfmt value: bare when it is plain, else quoted with {@code "} and {@code \} escaped and control characters as {@code \\uXXXX}. */
    static String quoted(String s) {
        boolean plain = !s.isEmpty() && s.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\' && c != '=');
        return plain ? s : "\"" + escaped(s) + "\"";
    }

    /** The combined format's user field, unquoted: a space in it would shift every later field, so it is escaped. */
    private static String clfUser(String user) {
        return escaped(user).replace(" ", "\\x20");
    }

    /** A value inside the combined format's quotes. */
    private static String clf(String s) {
        return escaped(s);
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ' || c == 127 || c == 0x85 || c == 0x2028 || c == 0x2029) { // every line break there is
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
