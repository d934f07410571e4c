package org.mlregistry.core.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of token secrets, the only form in which the registry keeps tokens. */
public final class TokenDigests {
    private TokenDigests() {
    }

    /** The SHA-256 of the UTF-8 bytes of {@code secret}. */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code secret}, as {@code printf %s "$TOKEN" | sha256sum} prints it. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }
}
