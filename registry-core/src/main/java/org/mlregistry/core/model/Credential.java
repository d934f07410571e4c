package org.mlregistry.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A secret presented by a caller, and how it was presented. The transport limits which kinds of token
 * it may be: a {@code JOB-TOKEN} header is only ever a job token, a {@code Deploy-Token} header only a
 * deploy token, and so on. {@link #toString()} never shows the secret.
 *
 * @param transport how the secret arrived
 * @param username the HTTP Basic user name, or {@code null} for the header transports
 * @param secret the token itself (never empty)
 */
public record Credential(Transport transport, @Nullable String username, String secret) {

    /** The ways a token can reach the registry. */
    public enum Transport {
        /** {@code Authorization: Bearer}: a personal, project or group access token, or a job token. */
        BEARER,
        /** {@code PRIVATE-TOKEN}: a personal, project or group access token. */
        PRIVATE_TOKEN,
        /** {@code JOB-TOKEN}: a CI job token. */
        JOB_TOKEN,
        /** {@code Deploy-Token}: a deploy token. */
        DEPLOY_TOKEN,
        /** {@code Authorization: Basic user:token}: an access token, a deploy token, or a job token as {@code gitlab-ci-token}. */
        BASIC
    }

    /** The Basic user name under which GitLab accepts a CI job token. */
    public static final String JOB_TOKEN_USER = "gitlab-ci-token";

    public Credential {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if ((transport == Transport.BASIC) != (username != null)) {
            throw new IllegalArgumentException("a user name goes with Basic and only with Basic");
        }
    }

    /** A header-borne token. */
    public static Credential of(Transport transport, String secret) {
        return new Credential(transport, null, secret);
    }

    /** An HTTP Basic credential. */
    public static Credential basic(String username, String secret) {
        return new Credential(Transport.BASIC, username, secret);
    }

    /** True when this transport may carry a personal (or project or group) access token. */
    public boolean mayBeAccessToken() {
        return transport == Transport.BEARER || transport == Transport.PRIVATE_TOKEN
                || (transport == Transport.BASIC && !JOB_TOKEN_USER.equals(username));
    }

    /** True when this transport may carry a CI job token. */
    public boolean mayBeJobToken() {
        return transport == Transport.BEARER || transport == Transport.JOB_TOKEN
                || (transport == Transport.BASIC && JOB_TOKEN_USER.equals(username));
    }

    /** True when this transport may carry a deploy token. */
    public boolean mayBeDeployToken() {
        return transport == Transport.DEPLOY_TOKEN
                || (transport == Transport.BASIC && !JOB_TOKEN_USER.equals(username));
    }

    /**
     * The first 4 hex digits of the secret's SHA-256: enough for an operator to tell tokens apart in a
     * log, useless to anyone who reads it.
     */
    public String fingerprint() {
        return Sha256.ofSecret(secret).hex().substring(0, 4);
    }

    @Override
    public String toString() {
        return "Credential[" + transport + (username == null ? "" : ", user=" + username) + ", secret=***]";
    }
}
