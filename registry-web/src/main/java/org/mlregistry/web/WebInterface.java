package org.mlregistry.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.web.page.WebPages;
import org.mlregistry.web.page.WebSettings;
import org.mlregistry.web.session.SessionCodec;

/**
 * The registry's web interface: server-rendered pages to browse projects, models, versions, experiments and runs, and
 * to manage them with the same permission rules as the API. Sign-in exchanges an access token for a sealed session
 * cookie that any node with the same secret can open; every change needs the visitor's CSRF token. Mount it with
 * {@link WebInterfaceServlet}.
 *
 * <pre>{@code
 * WebInterface web = WebInterface.builder(() -> registry)
 *         .sessionSecret(secretBytes)            // the same on every node; else random per process
 *         .publicUrl(URI.create("https://models.example.com"))
 *         .build();
 * context.addServlet(new ServletHolder(new WebInterfaceServlet(web)), "/*");
 * }</pre>
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class WebInterface {

    /** How long a sign-in lasts when the builder is not told. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofHours(12);
    /** The shortest session secret accepted, in bytes. */
    public static final int MIN_SESSION_SECRET_BYTES = SessionCodec.MIN_SECRET_BYTES;
    /** Where the API is mounted when the builder is not told. */
    public static final String DEFAULT_API_PATH = "/api/v4";

    private final WebPages pages;

    private WebInterface(WebPages pages) {
        this.pages = pages;
    }

    /** A builder for the interface of {@code registry}, asked for the registry as it is now on every request. */
    public static Builder builder(Supplier<ModelRegistry> registry) {
        return new Builder(registry);
    }

    /** The pages, for the servlet. */
    WebPages pages() {
        return pages;
    }

    /** Builds a {@link WebInterface}; validates once, in {@link #build()}. */
    public static final class Builder {
        private final Supplier<ModelRegistry> registry;
        private byte @Nullable [] secret;
        private Clock clock = Clock.systemUTC();
        private Duration lifetime = DEFAULT_SESSION_LIFETIME;
        private @Nullable URI publicUrl;
        private String apiPath = DEFAULT_API_PATH;

        private Builder(Supplier<ModelRegistry> registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * The secret sessions are sealed with, at least {@link #MIN_SESSION_SECRET_BYTES} bytes: the same on every
         * node behind one address, so any node opens any session. Without it a random one is made, and sessions end when
         * the process does.
         */
        public Builder sessionSecret(byte[] sessionSecret) {
            if (sessionSecret.length < SessionCodec.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the session secret must have at least " + SessionCodec.MIN_SECRET_BYTES + " bytes");
            }
            this.secret = sessionSecret.clone();
            return this;
        }

        /** How long a sign-in lasts (default {@link #DEFAULT_SESSION_LIFETIME}). */
        public Builder sessionLifetime(Duration sessionLifetime) {
            if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
                throw new IllegalArgumentException("the session lifetime must be positive");
            }
            this.lifetime = sessionLifetime;
            return this;
        }

        /** The time source sessions expire by. */
        public Builder clock(Clock timeSource) {
            this.clock = Objects.requireNonNull(timeSource, "clock");
            return this;
        }

        /** Where clients reach the server, for the code snippets; else the origin the browser used. */
        public Builder publicUrl(@Nullable URI url) {
            this.publicUrl = url;
            return this;
        }

        /** Where the API is mounted on the server (default {@link #DEFAULT_API_PATH}), for the code snippets. */
        public Builder apiPath(String path) {
            if (!path.startsWith("/") || path.endsWith("/")) {
                throw new IllegalArgumentException("the API path starts with / and does not end with one");
            }
            this.apiPath = path;
            return this;
        }

        public WebInterface build() {
            SecureRandom random = new SecureRandom();
            byte[] key = secret;
            if (key == null) {
                key = new byte[SessionCodec.MIN_SECRET_BYTES];
                random.nextBytes(key);
            }
            try {
                return new WebInterface(new WebPages(new WebSettings(registry, new SessionCodec(key, random), clock, lifetime, publicUrl,
                        apiPath)));
            } catch (IOException e) {
                throw new UncheckedIOException("the web interface's assets cannot be read from its jar", e);
            }
        }
    }
}
