package org.mlregistry.core.memory;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.spi.TokenAuthenticator;

/**
 * A {@link TokenAuthenticator} over a fixed set of {@link StoredToken}s. Secrets are hashed on arrival,
 * the stored hash is found by its hex form and then compared with {@link MessageDigest#isEqual}; expiry
 * is judged against the injected clock (a token is expired from the start, UTC, of its
 * {@code expiresAt} day, as in GitLab).
 *
 * <p>Threading: immutable, safe for concurrent use.
 */
public final class InMemoryTokenAuthenticator implements TokenAuthenticator {

    private final Clock clock;
    private final Map<String, StoredToken> byHash;

    /**
     * @throws IllegalArgumentException when two tokens have the same hash
     */
    public InMemoryTokenAuthenticator(Clock clock, Collection<StoredToken> tokens) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, StoredToken> map = new HashMap<>();
        for (StoredToken t : tokens) {
            if (map.put(t.sha256Hex(), t) != null) {
                throw new IllegalArgumentException("two tokens have the same sha256 " + t);
            }
        }
        this.byHash = Map.copyOf(map);
    }

    @Override
    public Optional<Principal> authenticate(Credential credential) {
        byte[] digest = TokenDigests.sha256(credential.secret());
        StoredToken t = byHash.get(HexFormat.of().formatHex(digest));
        if (t == null || !MessageDigest.isEqual(digest, HexFormat.of().parseHex(t.sha256Hex())) || !carries(credential, t)) {
            return Optional.empty();
        }
        Principal p = new Principal(t.kind(), t.user(), t.scopes(), t.projectId(), Principal.TokenStatus.ACTIVE);
        if (t.revoked()) {
            return Optional.of(p.withStatus(Principal.TokenStatus.REVOKED));
        }
        if (t.expiresAt() != null && !LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC)).isBefore(t.expiresAt())) {
            return Optional.of(p.withStatus(Principal.TokenStatus.EXPIRED));
        }
        if (t.kind() == Principal.Kind.JOB && !t.running()) {
            return Optional.of(p.withStatus(Principal.TokenStatus.JOB_FINISHED));
        }
        return Optional.of(p);
    }

    private static boolean carries(Credential c, StoredToken t) {
        switch (t.kind()) {
            case ACCESS_TOKEN:
                return c.mayBeAccessToken();
            case JOB:
                return c.mayBeJobToken();
            case DEPLOY:
                return c.mayBeDeployToken();
            default:
                throw new IllegalStateException("unknown token kind " + t.kind());
        }
    }
}
