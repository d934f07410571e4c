package org.mlregistry.web.page;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.web.session.SessionCodec;

/**
 * What the pages are built with: the registry (looked up per request, so a configuration reload takes effect), the
 * session codec, the clock, how long a session lasts, and where clients reach the API for the code snippets.
 *
 * @param registry the registry as it is now
 * @param sessions seals and opens session cookies
 * @param clock the time source
 * @param sessionLifetime how long a sign-in lasts
 * @param publicUrl where clients reach the server ({@code https://models.example.com}), or {@code null} for the
 *                  origin the browser used
 * @param apiPath where the API is mounted on that origin ({@code /api/v4})
 */
public record WebSettings(Supplier<ModelRegistry> registry, SessionCodec sessions, Clock clock, Duration sessionLifetime,
                          @Nullable URI publicUrl, String apiPath) {

    public WebSettings {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(apiPath, "apiPath");
    }
}
