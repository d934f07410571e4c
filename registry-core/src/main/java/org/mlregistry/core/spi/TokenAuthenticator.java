package org.mlregistry.core.spi;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;

/**
 * Turns a presented token into the {@link Principal} it stands for. This is the seam for plugging in a
 * host application's own users: an implementation only reports facts (who, which scopes, expired or
 * not); the registry applies GitLab's rules to them. It must honour the credential's transport (see
 * {@link Credential#mayBeAccessToken()} and its siblings), compare secrets in constant time, and never
 * log a secret.
 *
 * <pre>{@code
 * TokenAuthenticator fromMyUsers = credential ->
 *     myUsers.findByApiKey(credential.secret())
 *            .map(u -> Principal.accessToken(u.login(), Set.of(Scope.API)));
 * }</pre>
 *
 * <p>Threading: implementations must be safe for concurrent calls.
 */
public interface TokenAuthenticator {

    /**
     * Looks up the token in {@code credential}.
     *
     * @return the principal (possibly with a non-active status), or empty when the token is unknown
     * @throws IOException when the identity source cannot be reached
     */
    Optional<Principal> authenticate(Credential credential) throws IOException;
}
