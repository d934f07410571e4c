package org.mlregistry.examples.spring;

import java.util.Optional;
import org.mlregistry.core.model.Credential;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.spi.TokenAuthenticator;
import org.springframework.stereotype.Component;

/**
 * The registry's {@link TokenAuthenticator} over the application's {@link AppTokens}: the secret is hashed
 * and looked up by its hash, so no secret is compared, stored or logged. Application tokens are access
 * tokens: presented as {@code Authorization: Bearer}, {@code PRIVATE-TOKEN} or Basic, as GitLab accepts them.
 */
@Component
public class AppTokenAuthenticator implements TokenAuthenticator {

    private final AppTokens tokens;

    AppTokenAuthenticator(AppTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<Principal> authenticate(Credential credential) {
        if (!credential.mayBeAccessToken()) {
            return Optional.empty();
        }
        return tokens.findByHash(Sha256.ofSecret(credential.secret()))
                .map(t -> Principal.accessToken(t.username(), t.scopes()));
    }
}
