package org.mlregistry.core.memory;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.model.Principal;
import org.mlregistry.core.model.Scope;
import org.mlregistry.core.model.Sha256;

/**
 * A token as the registry keeps it: never the secret, only its SHA-256, plus what the token stands for.
 * Build one with {@link #personal}, {@link #job} or {@link #deploy}.
 *
 * @param kind the kind of token
 * @param sha256 the SHA-256 of the secret ({@link Sha256#ofSecret})
 * @param user the acting user (personal and job tokens), else {@code null}
 * @param projectId the job's or deploy token's project, else {@code -1}
 * @param scopes scopes (personal and deploy tokens)
 * @param expiresAt the first day the token is no longer valid (GitLab semantics), or {@code null}
 * @param revoked whether the token was revoked
 * @param running for job tokens: whether the job still runs
 */
public record StoredToken(Principal.Kind kind, Sha256 sha256, @Nullable String user, long projectId, Set<Scope> scopes,
                          @Nullable LocalDate expiresAt, boolean revoked, boolean running) {

    public StoredToken {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        scopes = Set.copyOf(scopes);
        if (kind != Principal.Kind.DEPLOY) {
            Objects.requireNonNull(user, "user");
        }
        if (kind != Principal.Kind.ACCESS_TOKEN && projectId < 0) {
            throw new IllegalArgumentException("job and deploy tokens need a project");
        }
    }

    /** A personal (or project or group) access token. */
    public static StoredToken personal(String user, Sha256 sha256, Set<Scope> scopes, @Nullable LocalDate expiresAt,
                                       boolean revoked) {
        return new StoredToken(Principal.Kind.ACCESS_TOKEN, sha256, user, -1, scopes, expiresAt, revoked, true);
    }

    /** A CI job token of {@code user}'s job in {@code projectId}. */
    public static StoredToken job(String user, long projectId, Sha256 sha256, boolean running) {
        return new StoredToken(Principal.Kind.JOB, sha256, user, projectId, Set.of(), null, false, running);
    }

    /** A deploy token bound to {@code projectId}. */
    public static StoredToken deploy(long projectId, Sha256 sha256, Set<Scope> scopes, @Nullable LocalDate expiresAt,
                                     boolean revoked) {
        return new StoredToken(Principal.Kind.DEPLOY, sha256, null, projectId, scopes, expiresAt, revoked, true);
    }

    @Override
    public String toString() {
        // the hash is not the secret, but a prefix is all a log reader needs
        return "StoredToken[" + kind + ", sha256=" + sha256.hex().substring(0, 4) + "…]";
    }
}
