package org.mlregistry.core.model;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling the registry, as far as the request says: {@link #ANONYMOUS} when it carries no
 * credential, otherwise the one {@link Credential} it presented. Every facade operation takes one, so
 * "nobody" is a value the compiler sees rather than a {@code null} that code must remember to check.
 *
 * <pre>{@code
 * registry.download(Caller.ANONYMOUS, ProjectRef.parse("grp/public"), version, path);
 * registry.download(Caller.presenting(Credential.of(Transport.BEARER, token)), ...);
 * }</pre>
 */
public final class Caller {

    /** A request without any credential. */
    public static final Caller ANONYMOUS = new Caller(null);

    private final @Nullable Credential credential;

    private Caller(@Nullable Credential credential) {
        this.credential = credential;
    }

    /** A caller presenting {@code credential}. */
    public static Caller presenting(Credential credential) {
        return new Caller(Objects.requireNonNull(credential, "credential"));
    }

    /** The credential presented, or empty for {@link #ANONYMOUS}. */
    public Optional<Credential> credential() {
        return Optional.ofNullable(credential);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Caller other && Objects.equals(credential, other.credential);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(credential);
    }

    @Override
    public String toString() {
        return credential == null ? "Caller[anonymous]" : "Caller[" + credential + "]";
    }
}
