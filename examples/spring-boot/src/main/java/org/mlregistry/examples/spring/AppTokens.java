package org.mlregistry.examples.spring;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The application's own API tokens, in its own table ({@code app_tokens}, see {@code schema.sql}): the kind
 * of bean an application already has, which the registry is plugged into rather than the other way round.
 * Only SHA-256 hashes are stored; a secret is shown once, when issued.
 */
@Service
public class AppTokens {

    /** Whose token it is and what it may do. */
    public record AppToken(String username, Set<Scope> scopes) {
    }

    private final JdbcClient db;
    private final SecureRandom random = new SecureRandom();

    AppTokens(JdbcClient db) {
        this.db = db;
    }

    /** Issues a new token for {@code username} and returns its secret; only the hash is kept. */
    public String issue(String username, Set<Scope> scopes) {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        String secret = "glpat-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        db.sql("INSERT INTO app_tokens (token_sha256, username, scopes) VALUES (?, ?, ?)")
                .params(Sha256.ofSecret(secret).hex(), username,
                        scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(" ")))
                .update();
        return secret;
    }

    /** The token whose secret hashes to {@code hash}. */
    public Optional<AppToken> findByHash(Sha256 hash) {
        return db.sql("SELECT username, scopes FROM app_tokens WHERE token_sha256 = ?").param(hash.hex())
                .query((row, n) -> new AppToken(row.getString("username"), Arrays.stream(row.getString("scopes").split(" "))
                        .map(Scope::parse).collect(Collectors.toUnmodifiableSet())))
                .optional();
    }
}
