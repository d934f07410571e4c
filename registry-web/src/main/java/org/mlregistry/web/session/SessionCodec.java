package org.mlregistry.web.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link Session} into a cookie value and opens it again, on any node that has the same secret: AES-256-GCM, so
 * the value is both signed (a changed byte fails authentication) and confidential (the token inside is never readable
 * from the cookie). CSRF tokens are an HMAC of the session id under a second key derived from the same secret.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class SessionCodec {

    /** The shortest secret accepted: 32 bytes, as many as the AES key. */
    public static final int MIN_SECRET_BYTES = 32;

    /** A cookie value longer than this is refused unread (a browser sends at most 4096 bytes a cookie). */
    static final int MAX_SEALED_CHARS = 4096;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte FORMAT = 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec sealKey;
    private final SecretKeySpec csrfKey;
    private final SecureRandom random;

    /** A codec for {@code secret} (at least {@link #MIN_SECRET_BYTES} bytes); {@code random} makes nonces and ids. */
    public SessionCodec(byte[] secret, SecureRandom random) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the session secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        // two independent keys from one secret, so a CSRF token never helps forge a cookie
        this.sealKey = new SecretKeySpec(derive(secret, "mlregistry session seal v1"), "AES");
        this.csrfKey = new SecretKeySpec(derive(secret, "mlregistry session csrf v1"), "HmacSHA256");
        this.random = random;
    }

    /** What opening a cookie value found. */
    public enum State {
        /** A session this codec sealed, still current. */
        VALID,
        /** A session this codec sealed whose time is over: the visitor signs in again. */
        EXPIRED,
        /** Not a session of this codec's (altered, another secret's, garbage): the visitor is anonymous. */
        INVALID
    }

    /**
     * The result of {@link #open}.
     *
     * @param state what the value was
     * @param session the session, present only when {@link State#VALID}
     */
    public record Opened(State state, Optional<Session> session) {
    }

    /** A new random identifier (128 bits, URL-safe): a session's id, or an anonymous visitor's sign-in form id. */
    public String newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return B64.encodeToString(id);
    }

    /** The cookie value for {@code session}. */
    public String seal(Session session) {
        byte[] id = session.id().getBytes(StandardCharsets.UTF_8);
        byte[] token = session.token().getBytes(StandardCharsets.UTF_8);
        byte[] user = session.user().getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(1 + 8 + 3 * 4 + id.length + token.length + user.length);
        plain.put(FORMAT).putLong(session.expires().getEpochSecond());
        for (byte[] field : new byte[][] {id, token, user}) {
            plain.putInt(field.length).put(field);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = aes.doFinal(plain.array());
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    /** Opens a cookie value a browser sent: never throws, whatever the value. */
    public Opened open(String value, Instant now) {
        if (value.isEmpty() || value.length() > MAX_SEALED_CHARS) {
            return invalid();
        }
        byte[] raw;
        try {
            raw = B64_DECODE.decode(value);
        } catch (IllegalArgumentException notBase64) {
            return invalid();
        }
        if (raw.length <= NONCE_BYTES + TAG_BITS / 8) {
            return invalid();
        }
        byte[] plain;
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            plain = aes.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
        } catch (GeneralSecurityException altered) {
            return invalid();
        }
        ByteBuffer in = ByteBuffer.wrap(plain);
        try {
            if (in.get() != FORMAT) {
                return invalid();
            }
            Instant expires = Instant.ofEpochSecond(in.getLong());
            String id = field(in);
            String token = field(in);
            String user = field(in);
            if (in.hasRemaining() || id.isEmpty() || token.isEmpty()) {
                return invalid();
            }
            if (!now.isBefore(expires)) {
                return new Opened(State.EXPIRED, Optional.empty());
            }
            return new Opened(State.VALID, Optional.of(new Session(id, token, user, expires)));
        } catch (RuntimeException malformed) { // only this codec seals: a malformed plain text is a bug of an old format
            return invalid();
        }
    }

    /** The CSRF token of the visitor whose session (or sign-in form) has id {@code id}. */
    public String csrfToken(String id) {
        return B64.encodeToString(hmac(id));
    }

    /** Whether {@code presented} is the CSRF token of {@code id}, compared in constant time. */
    public boolean csrfMatches(String id, String presented) {
        if (presented.length() > 64) {
            return false;
        }
        byte[] given;
        try {
            given = B64_DECODE.decode(presented);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(hmac(id), given);
    }

    private byte[] hmac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(csrfKey);
            return mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    private static String field(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("field length");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    private static Opened invalid() {
        return new Opened(State.INVALID, Optional.empty());
    }
}
