package org.mlregistry.core.memory;

import java.nio.charset.StandardCharsets;
import org.mlregistry.core.model.Sha256;

/** SHA-256 of token secrets, the only form in which the registry keeps tokens. */
public final class TokenDigests {
    private TokenDigests() {
    }

    /** The SHA-256 of the UTF-8 bytes of {@code secret}. */
    public static byte[] sha256(String secret) {
        return Sha256.hash(secret.getBytes(StandardCharsets.UTF_8)).bytes();
    }

    /** Lower-case hex SHA-256 of {@code secret}, as {@code printf %s "$TOKEN" | sha256sum} prints it. */
    public static String sha256Hex(String secret) {
        return Sha256.hash(secret.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
