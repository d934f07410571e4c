package org.mlregistry.core.model;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who a token says the caller is, as a {@link org.mlregistry.core.spi.TokenAuthenticator} found it.
 * The registry, not the authenticator, turns a non-{@link TokenStatus#ACTIVE} status into a 401, so an
 * authenticator only reports facts.
 *
 * @param kind what kind of token authenticated the caller
 * @param username the user the token acts for (personal and job tokens); {@code null} for deploy tokens
 * @param scopes the token's scopes (job tokens have none: they act with their user's role)
 * @param projectId the job's project (job tokens) or the bound project (deploy tokens); {@code -1} otherwise
 * @param status whether the token may be used now
 */
public record Principal(Kind kind, @Nullable String username, Set<Scope> scopes, long projectId, TokenStatus status) {

    /** The kinds of token GitLab has. */
    public enum Kind {
        /** A personal, project or group access token (the last two act as their bot user). */
        ACCESS_TOKEN,
        /** A CI job token. */
        JOB,
        /** A deploy token. */
        DEPLOY
    }

    /** Whether a token may be used now; anything but {@link #ACTIVE} is refused with 401. */
    public enum TokenStatus { ACTIVE, EXPIRED, REVOKED, JOB_FINISHED }

    public Principal {
        Objects.requireNonNull(kind, "kind");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(status, "status");
        if (kind != Kind.DEPLOY) {
            Objects.requireNonNull(username, "username");
        }
        if (kind != Kind.ACCESS_TOKEN && projectId < 0) {
            throw new IllegalArgumentException("job and deploy tokens belong to a project");
        }
    }

    /** An active access token of {@code username} with {@code scopes}. */
    public static Principal accessToken(String username, Set<Scope> scopes) {
        return new Principal(Kind.ACCESS_TOKEN, username, scopes, -1, TokenStatus.ACTIVE);
    }

    /** The same principal with another status. */
    public Principal withStatus(TokenStatus newStatus) {
        return new Principal(kind, username, scopes, projectId, newStatus);
    }
}
