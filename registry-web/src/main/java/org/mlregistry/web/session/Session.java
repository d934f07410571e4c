package org.mlregistry.web.session;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in visitor: the token they signed in with (checked again on every request, so that a revoked token ends the
 * session at once), a random id their CSRF token derives from, and when the session ends.
 *
 * @param id a random identifier, 22 URL-safe characters
 * @param token the access token, never shown or logged
 * @param user who the token belongs to, for display
 * @param expires when the session ends
 */
public record Session(String id, String token, String user, Instant expires) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(expires, "expires");
    }

    @Override
    public String toString() {
        return "Session[user=" + user + ", expires=" + expires + "]"; // never the token
    }
}
