package org.mlregistry.core.http.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * MLflow's {@code page_token}: opaque to clients, here the offset of the page's first entry, Base64url-encoded
 * ({@code offset:N}). A token is validated before use: at most {@value #MAX_LENGTH} characters, and an offset of
 * ASCII digits up to {@value #MAX_OFFSET}; anything else is {@code INVALID_PARAMETER_VALUE}, never an overflow.
 */
final class PageToken {

    static final int MAX_LENGTH = 64;
    /** Far beyond any list a search pages through, and far below where int arithmetic could overflow. */
    static final int MAX_OFFSET = 1_000_000_000;
    private static final String PREFIX = "offset:";

    private PageToken() {
    }

    /** The offset a token names; 0 for none. */
    static int offset(@Nullable String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        if (token.length() <= MAX_LENGTH) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
                String digits = decoded.startsWith(PREFIX) ? decoded.substring(PREFIX.length()) : "";
                if (!digits.isEmpty() && digits.length() <= 10 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    long n = Long.parseLong(digits);
                    if (n <= MAX_OFFSET) {
                        return (int) n;
                    }
                }
            } catch (IllegalArgumentException e) {
                // not Base64: refused below
            }
        }
        throw MlflowParams.invalid("Invalid value for parameter 'page_token'");
    }

    /** The token of the page after one of {@code taken} entries from {@code offset}, or null when none is left. */
    static @Nullable String next(int offset, int taken, int total) {
        long next = (long) offset + taken;
        return next < total && next <= MAX_OFFSET ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + next).getBytes(StandardCharsets.US_ASCII)) : null;
    }
}
