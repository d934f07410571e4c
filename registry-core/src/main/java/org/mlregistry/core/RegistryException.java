package org.mlregistry.core;

import java.util.Objects;

/**
 * The registry's one domain exception: a refusal with its {@link Refusal reason} and, where the reason
 * needs one, a detail that is safe to show to the caller (it never contains a secret).
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Refusal reason;
    private final String detail;

    /** A refusal without detail. */
    public RegistryException(Refusal reason) {
        this(reason, null);
    }

    /** A refusal with a caller-visible {@code detail}, or {@code null} for none. */
    public RegistryException(Refusal reason, String detail) {
        super(detail == null ? reason.name() : reason.name() + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = detail;
    }

    /** Why the request was refused. */
    public Refusal reason() {
        return reason;
    }

    /** A caller-visible detail, or {@code null}. */
    public String detail() {
        return detail;
    }
}
