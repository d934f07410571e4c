package org.mlregistry.server.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;

/**
 * A token made here: its secret, shown once, and the configuration entry that names it only by its SHA-256. The
 * secret has GitLab's prefix for its kind ({@code glpat-}, {@code gldt-}, {@code glcbt-}), so secret scanners and
 * people recognize it, followed by 192 random bits.
 *
 * @param secret the token to give its user
 * @param entry the object for the configuration's {@code "tokens"}
 */
public record NewToken(String secret, ObjectNode entry) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 24;

    /** The kinds of token, as the configuration names them. */
    public enum Kind { PERSONAL, JOB, DEPLOY }

    /**
     * A new token.
     *
     * @param user the user (personal and job tokens)
     * @param project the project id (job and deploy tokens)
     * @param scopes the scopes (personal and deploy tokens)
     * @param expires the last day it is valid, or {@code null} (personal and deploy tokens)
     */
    public static NewToken create(Kind kind, @Nullable String user, @Nullable Long project, Set<Scope> scopes,
                                  @Nullable LocalDate expires) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        String prefix = switch (kind) {
            case PERSONAL -> "glpat-";
            case JOB -> "glcbt-";
            case DEPLOY -> "gldt-";
        };
        String secret = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        if (user != null) {
            entry.put("user", user);
        }
        if (project != null) {
            entry.put("project", project);
        }
        entry.put("sha256", Sha256.ofSecret(secret).hex());
        if (kind != Kind.JOB) {
            scopes.forEach(s -> entry.withArray("scopes").add(s.value()));
        }
        if (expires != null) {
            entry.put("expiresAt", expires.toString());
        }
        return new NewToken(secret, entry);
    }
}
