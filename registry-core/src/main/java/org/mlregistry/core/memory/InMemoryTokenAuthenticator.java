package org.mlregistry.core.memory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.TokenAuthenticator;

/**
 * A {@link TokenAuthenticator} over a fixed set of {@link StoredToken}s. A presented secret is hashed and
 * looked up by its digest ({@link Sha256#equals} compares in constant time); expiry is judged against the
 * injected clock (a token is expired from the start, UTC, of its {@code expiresAt} day, as in GitLab).
 *
 * <p>Threading: immutable, safe for concurrent use.
 */
public final class InMemoryTokenAuthenticator implements TokenAuthenticator {

    private final Clock clock;
    private final Map<Sha256, StoredToken> byHash;

    /**
     * @throws DuplicateEntryException when two tokens have the same hash
     */
    public InMemoryTokenAuthenticator(Clock clock, List<StoredToken> tokens) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<Sha256, StoredToken> map = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (map.put(tokens.get(i).sha256(), tokens.get(i)) != null) {
                throw new DuplicateEntryException(i, "sha256");
            }
        }
        this.byHash = Map.copyOf(map);
    }

    @Override
    public Optional<Principal> authenticate(Credential credential) {
        StoredToken t = byHash.get(Sha256.ofSecret(credential.secret()));
        if (t == null || !carries(credential, t)) {
            return Optional.empty();
        }
        Principal p = new Principal(t.kind(), t.user(), t.scopes(), t.projectId(), Principal.TokenStatus.ACTIVE);
        LocalDate expiresAt = t.expiresAt();
        if (t.revoked()) {
            return Optional.of(p.withStatus(Principal.TokenStatus.REVOKED));
        }
        if (expiresAt != null && !LocalDate.now(clock.withZone(ZoneOffset.UTC)).isBefore(expiresAt)) {
            return Optional.of(p.withStatus(Principal.TokenStatus.EXPIRED));
        }
        if (t.kind() == Principal.Kind.JOB && !t.running()) {
            return Optional.of(p.withStatus(Principal.TokenStatus.JOB_FINISHED));
        }
        return Optional.of(p);
    }

    private static boolean carries(Credential c, StoredToken t) {
        return switch (t.kind()) {
            case ACCESS_TOKEN -> c.mayBeAccessToken();
            case JOB -> c.mayBeJobToken();
            case DEPLOY -> c.mayBeDeployToken();
        };
    }
}
