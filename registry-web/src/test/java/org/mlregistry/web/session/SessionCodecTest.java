package org.mlregistry.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    final SessionCodec codec = new SessionCodec("the secret of this test, 32 bytes+".getBytes(StandardCharsets.UTF_8), new SecureRandom());
    final Session session = new Session(codec.newId(), "glpat-secret-token", "dev", NOW.plusSeconds(3600));

    @Test
    void opensWhatItSealedUntilItExpires() {
        String sealed = codec.seal(session);
        assertThat(sealed).doesNotContain("glpat").doesNotContain("dev");
        assertThat(codec.open(sealed, NOW).session()).contains(session);
        assertThat(codec.open(sealed, NOW.plusSeconds(3600)).state()).isEqualTo(SessionCodec.State.EXPIRED);
        assertThat(codec.seal(session)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void anyChangedByteOrAnotherSecretIsNoSession() {
        byte[] raw = Base64.getUrlDecoder().decode(codec.seal(session));
        SessionCodec other = new SessionCodec("another secret, also of 32 bytes+".getBytes(StandardCharsets.UTF_8), new SecureRandom());
        assertThat(other.open(codec.seal(session), NOW).state()).isEqualTo(SessionCodec.State.INVALID);
        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 1;
            assertThat(codec.open(Base64.getUrlEncoder().withoutPadding().encodeToString(altered), NOW).state()).as("byte " + i)
                    .isEqualTo(SessionCodec.State.INVALID);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "!!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a.b.c", "%00"})
    void garbageIsNoSessionAndNeverAnException(String value) {
        assertThat(codec.open(value, NOW).state()).isEqualTo(SessionCodec.State.INVALID);
        assertThat(codec.open(value.repeat(2000), NOW).state()).isEqualTo(SessionCodec.State.INVALID);
    }

    @Test
    void csrfTokensBelongToOneIdAndAreComparedWhole() {
        String token = codec.csrfToken("id-one");
        assertThat(codec.csrfMatches("id-one", token)).isTrue();
        assertThat(codec.csrfMatches("id-two", token)).isFalse();
        assertThat(codec.csrfMatches("id-one", token.substring(1))).isFalse();
        assertThat(codec.csrfMatches("id-one", "")).isFalse();
        assertThat(codec.csrfMatches("id-one", "%%%")).isFalse();
        assertThat(codec.csrfMatches("id-one", token.repeat(10))).isFalse();
    }

    @Test
    void neverShowsTheToken() {
        assertThat(session.toString()).doesNotContain("glpat").contains("dev");
    }
}
