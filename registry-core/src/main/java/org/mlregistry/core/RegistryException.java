package org.mlregistry.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The registry's one domain exception: a refusal with its {@link Refusal reason} and, where the reason
 * needs one, a detail that is safe to show to the caller (it never contains a secret).
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Refusal reason;
    private final @Nullable String detail;

    /** A refusal without detail. */
    public RegistryException(Refusal reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.detail = null;
    }

    /** A refusal with a caller-visible {@code detail}. */
    public RegistryException(Refusal reason, String detail) {
        super(reason.name() + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** Why the operation was refused. */
    public Refusal reason() {
        return reason;
    }

    /** A caller-visible detail, if the refusal has one. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
