package org.mlregistry.core.model;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a client declared about an upload before sending it: its size ({@code Content-Length}) and its
 * SHA-256 (a digest header). The registry refuses a declared size over its limit before reading a byte,
 * and stores nothing whose content does not match the declared digest.
 *
 * @param size the declared size in bytes, or {@code -1} when unknown (a chunked body)
 * @param sha256 the declared digest, or {@code null} when none was sent
 */
public record Declared(long size, @Nullable Sha256 sha256) {

    /** Nothing declared: unknown size, no digest. */
    public static final Declared NOTHING = new Declared(-1, null);

    public Declared {
        if (size < -1) {
            throw new IllegalArgumentException("a declared size is -1 (unknown) or more");
        }
    }

    /** The declared digest, if any. */
    public Optional<Sha256> digest() {
        return Optional.ofNullable(sha256);
    }
}
