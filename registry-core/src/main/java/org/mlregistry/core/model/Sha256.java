package org.mlregistry.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A SHA-256 digest: a file's identity for ETags, {@code X-Checksum-Sha256} and {@code Repr-Digest}, and
 * the only form in which the registry keeps token secrets. {@link #equals} compares in constant time, so
 * a map keyed by stored token digests can be looked up with the digest of a presented secret.
 */
public final class Sha256 {
    private static final int LENGTH = 32;
    /** Cloned for each digest: looking the algorithm up among the providers costs more than hashing a token. */
    private static final MessageDigest PROTOTYPE = lookUp();
    /**
     * A digest per thread for {@link #hash}, which runs for every request that presents a token: a clone for each
     * was a tenth of what a small download allocated. {@link MessageDigest#digest(byte[])} leaves it reset.
     */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::newDigest);
    private final byte[] bytes;
    // formatted at most once, on first use: a stored digest is formatted for every response that carries it,
    // while the digest of a presented token secret is only compared. Racy but benign: Strings are immutable
    // and every thread computes the same text.
    private @Nullable String hex;
    private @Nullable String base64;

    /** Takes {@code bytes} as they are: callers pass an array nothing else holds. */
    private Sha256(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + bytes.length);
        }
        this.bytes = bytes;
    }

    /** A fresh SHA-256 {@link MessageDigest}: the one place that names the algorithm. */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The SHA-256 of {@code content}. */
    public static Sha256 hash(byte[] content) {
        return new Sha256(DIGESTS.get().digest(content));
    }

    /**
     * The SHA-256 of a token secret's UTF-8 bytes, as {@code printf %s "$TOKEN" | sha256sum} prints it:
     * how tokens are stored and looked up.
     */
    public static Sha256 ofSecret(String secret) {
        return hash(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** From the 32 digest bytes. */
    public static Sha256 of(byte[] digest) {
        return new Sha256(digest.clone());
    }

    /**
     * From 64 hex digits, either case: the one hex parser for digests (configuration, sidecars, headers).
     *
     * @throws IllegalArgumentException when {@code hex} is not 64 hex digits; the message never repeats it
     */
    public static Sha256 parseHex(String hex) {
        if (hex.length() != 2 * LENGTH || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex digits");
        }
        return new Sha256(HexFormat.of().parseHex(hex));
    }

    /** The 32 digest bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, as {@code sha256sum} prints it. */
    public String hex() {
        String h = hex;
        if (h == null) {
            h = HexFormat.of().formatHex(bytes);
            hex = h;
        }
        return h;
    }

    /** Standard Base64, as RFC 9530 digest fields carry it. */
    public String base64() {
        String b = base64;
        if (b == null) {
            b = Base64.getEncoder().encodeToString(bytes);
            base64 = b;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256 other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "sha256:" + hex();
    }
}
