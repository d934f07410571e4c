package org.mlregistry.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.RefusalAnswer;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;
import org.mlregistry.web.markdown.MarkdownRenderer;
import org.mlregistry.web.route.WebRoute;
import org.mlregistry.web.session.Session;
import org.mlregistry.web.session.SessionCodec;
import org.mlregistry.web.view.ErrorView;
import org.mlregistry.web.view.Layout;
import org.mlregistry.web.view.SignInView;

/**
 * The web interface's one entry: identifies the visitor from their session cookie, checks the CSRF token of every
 * request that changes something before acting on it, sends the security headers every answer carries, and hands the
 * request to the page it names. A refusal from the registry becomes the page with the status the API answers for the
 * same request (a project the visitor may not see is a 404); a credential the registry no longer accepts, or an
 * expired session, sends the visitor back to sign in, with nothing changed.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class WebPages {

    /** The session cookie: the sealed {@link Session} ({@code __Host-mlr_session} over TLS at the root). */
    public static final String SESSION_COOKIE = "mlr_session";
    /** An anonymous visitor's form id, what the sign-in form's CSRF token derives from. */
    public static final String FORM_COOKIE = "mlr_form";
    /** The header an upload script sends the CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /**
     * Every answer's policy: nothing from anywhere but this origin, no inline script or style, no framing, forms posting
     * only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final int MAX_TOKEN = 1024;

    private final WebSettings settings;
    private final BrowsePages browse;
    private final TrackingPages tracking;
    private final ManageActions manage;
    private final FileDownloads downloads;
    private final Assets assets;

    /** Pages built with {@code settings}. */
    public WebPages(WebSettings settings) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        MarkdownRenderer markdown = new MarkdownRenderer();
        this.browse = new BrowsePages(markdown);
        this.tracking = new TrackingPages();
        this.manage = new ManageActions();
        this.downloads = new FileDownloads();
        this.assets = Assets.load();
    }

    /**
     * Answers one request.
     *
     * @param exchange the request and response
     * @param base where the interface is mounted ({@code ""} at the root, {@code /ui} there), for its links
     * @param rawPath the raw path below that mount, never decoded by the container
     */
    public void handle(WebExchange exchange, String base, String rawPath) throws IOException {
        securityHeaders(exchange);
        WebRoute route = WebRoute.parse(rawPath);
        if (route.kind() == WebRoute.Kind.ASSET) {
            assets.serve(exchange, route.file());
            return;
        }
        Links links = new Links(base);
        Visitor visitor = identify(exchange, base);
        if (visitor.newFormId() != null && route.kind() == WebRoute.Kind.SIGN_IN) {
            // only the sign-in form needs an anonymous visitor's form id: other pages set no cookie
            exchange.addCookie(cookie(exchange, base, FORM_COOKIE, visitor.newFormId(), -1, "Strict"));
        }
        ModelRegistry registry = settings.registry().get();
        PageRequest page = new PageRequest(exchange, registry, settings, visitor, route, rawPath, Forms.parse(exchange.rawQuery()), links);
        if (visitor.sessionEnded()) {
            clearSession(exchange, base);
            if (route.kind() != WebRoute.Kind.SIGN_IN) {
                signInAgain(page, "expired");
                return;
            }
        }
        try {
            switch (exchange.method()) {
                case "GET", "HEAD" -> get(page);
                case "POST" -> post(page);
                case "PUT" -> put(page);
                default -> error(page, 405, "405 Method Not Allowed");
            }
        } catch (RegistryException refused) {
            refused(page, refused);
        }
    }

    private void get(PageRequest page) throws IOException {
        switch (page.route().kind()) {
            case HOME -> html(page, 200, browse.home(page));
            case SIGN_IN -> signInForm(page, 200, null);
            case MODELS -> html(page, 200, browse.models(page));
            case MODEL -> html(page, 200, browse.model(page));
            case VERSION -> html(page, 200, browse.version(page));
            case VERSION_FILE -> downloads.versionFile(page);
            case EXPERIMENTS -> html(page, 200, tracking.experiments(page));
            case EXPERIMENT -> html(page, 200, tracking.experiment(page));
            case COMPARE -> html(page, 200, tracking.compare(page));
            case RUN -> html(page, 200, tracking.run(page));
            case RUN_FILE -> downloads.runFile(page);
            case SIGN_OUT -> error(page, 405, "405 Method Not Allowed");
            case ASSET, NOT_FOUND -> error(page, 404, "404 Not Found");
        }
    }

    private void post(PageRequest page) throws IOException {
        WebRoute.Kind kind = page.route().kind();
        boolean acts = switch (kind) {
            case SIGN_IN, SIGN_OUT, MODELS, MODEL, VERSION, VERSION_FILE -> true;
            case HOME, ASSET, EXPERIMENTS, EXPERIMENT, COMPARE, RUN, RUN_FILE, NOT_FOUND -> false;
        };
        if (!acts) {
            if (kind == WebRoute.Kind.NOT_FOUND) {
                error(page, 404, "404 Not Found");
            } else {
                error(page, 405, "405 Method Not Allowed");
            }
            return;
        }
        Optional<Forms> form = readForm(page);
        if (form.isEmpty()) {
            return;
        }
        if (!csrfHolds(page, form.get().get("csrf"))) {
            return;
        }
        switch (kind) {
            case SIGN_IN -> signIn(page, form.get());
            case SIGN_OUT -> signOut(page);
            default -> {
                if (!page.visitor().signedIn()) {
                    signInAgain(page, "");
                    return;
                }
                redirect(page.exchange(), manage.post(page, form.get()));
            }
        }
    }

    private void put(PageRequest page) throws IOException {
        if (page.route().kind() != WebRoute.Kind.VERSION_FILE) {
            error(page, 405, "405 Method Not Allowed");
            return;
        }
        String token = page.exchange().header(CSRF_HEADER);
        if (!csrfHolds(page, token == null ? "" : token)) {
            return; // refused before a byte of the body is read
        }
        manage.upload(page);
    }

    /** The form body of a POST, bounded; empty (with the error page sent) when it is none. */
    private Optional<Forms> readForm(PageRequest page) throws IOException {
        WebExchange exchange = page.exchange();
        String type = exchange.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            error(page, 415, "415 Unsupported Media Type");
            return Optional.empty();
        }
        if (exchange.contentLength() > Forms.MAX_BODY) {
            error(page, 413, "413 Payload Too Large");
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = exchange.body()) {
            body = in.readNBytes(Forms.MAX_BODY + 1);
        }
        if (body.length > Forms.MAX_BODY) {
            error(page, 413, "413 Payload Too Large");
            return Optional.empty();
        }
        return Optional.of(Forms.parse(new String(body, StandardCharsets.ISO_8859_1)));
    }

    /** Whether the request carries the visitor's CSRF token and does not come from another site; else the 403 page. */
    private boolean csrfHolds(PageRequest page, String token) throws IOException {
        String site = page.exchange().header("Sec-Fetch-Site");
        boolean crossSite = site != null && site.equalsIgnoreCase("cross-site");
        if (crossSite || !settings.sessions().csrfMatches(page.visitor().csrfId(), token)) {
            error(page, 403, "403 Forbidden - the form was not sent from this page (missing or wrong CSRF token); nothing was changed");
            return false;
        }
        return true;
    }

    private void signInForm(PageRequest page, int status, @Nullable String message) throws IOException {
        String next = safeNext(page, page.query().get("next"));
        String shown = message;
        if (shown == null) {
            shown = switch (page.query().get("reason")) {
                case "expired" -> "Your session has ended. Sign in again to go on.";
                case "token" -> "Your token is no longer accepted. Sign in with another one.";
                default -> null;
            };
        }
        Layout layout = page.layout("Sign in", List.of(new Layout.Crumb("Projects", page.links().home())));
        html(page, status, Templates.signIn(new SignInView(layout, next, shown, page.links().base() + "/-/sign_in")));
    }

    private void signIn(PageRequest page, Forms form) throws IOException {
        String token = form.get("token").strip();
        String next = safeNext(page, form.get("next"));
        if (token.isEmpty() || token.length() > MAX_TOKEN) {
            signInForm(page, 400, "Enter an access token.");
            return;
        }
        Principal principal;
        try {
            principal = page.registry().authenticate(Credential.of(Credential.Transport.BEARER, token));
        } catch (RegistryException refused) {
            String why = switch (refused.reason()) {
                case TOKEN_EXPIRED -> "That token has expired.";
                case TOKEN_REVOKED -> "That token was revoked.";
                default -> "That token is not accepted here.";
            };
            signInForm(page, 401, why);
            return;
        }
        SessionCodec codec = settings.sessions();
        Instant expires = settings.clock().instant().plus(settings.sessionLifetime());
        String user = principal.username() == null ? principal.kind().name().toLowerCase(Locale.ROOT) + " token" : principal.username();
        Session session = new Session(codec.newId(), token, user, expires);
        String base = page.links().base();
        page.exchange().addCookie(cookie(page.exchange(), base, SESSION_COOKIE, codec.seal(session), settings.sessionLifetime().toSeconds(),
                "Lax"));
        page.exchange().addCookie(cookie(page.exchange(), base, FORM_COOKIE, "", 0, "Strict"));
        redirect(page.exchange(), next);
    }

    private void signOut(PageRequest page) throws IOException {
        clearSession(page.exchange(), page.links().base());
        redirect(page.exchange(), page.links().home());
    }

    /**
     * Back to the sign-in form, then to this page: a redirect for a browser's navigation; for the upload script's
     * {@code PUT}, a 401 page, since a script that followed the redirect would take the form for a stored file.
     */
    private static void signInAgain(PageRequest page, String reason) throws IOException {
        if (page.exchange().method().equals("PUT")) {
            error(page, 401, "401 Unauthorized - sign in again; nothing was stored");
            return;
        }
        WebRoute route = page.route();
        // back to the page the form was on: a file's delete form is on its version's page, not at the file
        String query = page.exchange().rawQuery();
        String then = page.exchange().method().equals("POST") && route.kind() == WebRoute.Kind.VERSION_FILE
                ? page.links().version(route.project(), route.id(), route.version())
                : page.links().base() + page.rawPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        String back = page.links().signIn(then);
        redirect(page.exchange(), reason.isEmpty() ? back : back + "&reason=" + reason);
    }

    /** A path of this interface to go to after signing in; anything else (another site, {@code //host}) is the start page. */
    private static String safeNext(PageRequest page, String next) {
        String base = page.links().base();
        boolean ours = next.startsWith(base + "/") && !next.startsWith("//") && next.indexOf('\\') < 0 && next.length() <= 2048
                && next.chars().allMatch(c -> c > 0x20 && c < 0x7f) && !next.startsWith(base + "/-/sign_");
        return ours ? next : page.links().home();
    }

    private void refused(PageRequest page, RegistryException refused) throws IOException {
        switch (refused.reason()) {
            case UNAUTHORIZED, TOKEN_EXPIRED, TOKEN_REVOKED -> {
                if (page.visitor().signedIn()) {
                    clearSession(page.exchange(), page.links().base());
                }
                signInAgain(page, page.visitor().signedIn() ? "token" : "");
            }
            default -> {
                RefusalAnswer answer = RefusalAnswer.of(refused);
                error(page, answer.status(), answer.message());
            }
        }
    }

    private Visitor identify(WebExchange exchange, String base) {
        SessionCodec codec = settings.sessions();
        Optional<String> sealed = exchange.cookie(named(exchange, base, SESSION_COOKIE)).filter(v -> !v.isEmpty());
        boolean ended = false;
        if (sealed.isPresent()) {
            SessionCodec.Opened opened = codec.open(sealed.get(), settings.clock().instant());
            if (opened.session().isPresent()) {
                Session session = opened.session().get();
                return new Visitor(Optional.of(session), session.id(), null, false);
            }
            ended = true;
        }
        Optional<String> formId = exchange.cookie(named(exchange, base, FORM_COOKIE)).filter(WebPages::isId);
        if (formId.isPresent()) {
            return new Visitor(Optional.empty(), formId.get(), null, ended);
        }
        String fresh = codec.newId();
        return new Visitor(Optional.empty(), fresh, fresh, ended);
    }

    private static boolean isId(String value) {
        return value.length() == 22 && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    /** Sets the headers every answer of the interface carries, error pages of the container adapter's too. */
    public static void securityHeaders(WebExchange exchange) {
        exchange.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.header("X-Content-Type-Options", "nosniff");
        exchange.header("Referrer-Policy", "same-origin");
        exchange.header("X-Frame-Options", "DENY");
        exchange.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /**
     * A cookie's name: with the {@code __Host-} prefix over TLS at the root, where browsers then refuse the cookie from
     * anywhere but this host (a sibling subdomain cannot plant a session or a form id), else as it is.
     */
    static String named(WebExchange exchange, String base, String name) {
        return exchange.secure() && base.isEmpty() ? "__Host-" + name : name;
    }

    private static void clearSession(WebExchange exchange, String base) {
        exchange.addCookie(cookie(exchange, base, SESSION_COOKIE, "", 0, "Lax"));
    }

    /** A {@code Set-Cookie} value: {@code HttpOnly}, {@code Secure} under TLS, scoped to the interface's mount. */
    static String cookie(WebExchange exchange, String base, String name, String value, long maxAgeSeconds, String sameSite) {
        StringBuilder c = new StringBuilder(named(exchange, base, name)).append('=').append(value)
                .append("; Path=").append(base.isEmpty() ? "/" : base).append("; HttpOnly; SameSite=").append(sameSite);
        if (maxAgeSeconds >= 0) {
            c.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (exchange.secure()) {
            c.append("; Secure");
        }
        return c.toString();
    }

    static void html(PageRequest page, int status, byte[] html) throws IOException {
        WebExchange exchange = page.exchange();
        exchange.status(status);
        exchange.header("Content-Type", "text/html;charset=utf-8");
        exchange.header("Cache-Control", "no-store");
        exchange.header("Content-Length", Integer.toString(html.length));
        if (!exchange.method().equals("HEAD")) {
            try (OutputStream out = exchange.output()) {
                out.write(html);
            }
        }
    }

    static void error(PageRequest page, int status, String message) throws IOException {
        Layout layout = page.layout(Integer.toString(status), List.of(new Layout.Crumb("Projects", page.links().home())));
        html(page, status, Templates.error(new ErrorView(layout, status, message)));
    }

    static void redirect(WebExchange exchange, String location) {
        exchange.status(303);
        exchange.header("Location", location);
        exchange.header("Cache-Control", "no-store");
        exchange.header("Content-Length", "0");
    }
}
