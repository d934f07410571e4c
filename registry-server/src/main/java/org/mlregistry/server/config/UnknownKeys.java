package org.mlregistry.server.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the configuration says about a key it does not know: the key and the nearest allowed one when the key looks
 * like a field name ({@code maxFileSizeByte}, "did you mean {@code maxFileSizeBytes}?"), and only its position when
 * it could be a secret pasted into the wrong place (a token with a known prefix, or a long string of mixed case and
 * digits). Keys are at most a few dozen characters, so the edit distance is cheap.
 */
final class UnknownKeys {

    private static final int MAX_NAMEABLE = 32;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** Prefixes of well-known token formats (GitLab, GitHub, Hugging Face, Slack, AWS, JWTs), lower case. */
    private static final Set<String> TOKEN_PREFIXES = Set.of("glpat", "gldt", "glptt", "glrt", "glcbt", "gloas", "glsoat", "ghp_",
            "gho_", "ghu_", "ghs_", "ghr_", "github_pat", "hf_", "sk_", "xox", "akia", "asia", "eyj");

    private UnknownKeys() {
    }

    /** The message for {@code key}, the {@code position}-th key of an object that allows {@code allowed}. */
    static String message(String key, int position, Set<String> allowed) {
        String list = String.join(", ", new TreeSet<>(allowed));
        if (!nameable(key)) {
            return "key number " + position + " is not a known field and is not shown, as it may be a secret (allowed: " + list + ")";
        }
        String nearest = nearest(key, allowed);
        return nearest != null ? "unknown key `" + key + "`; did you mean `" + nearest + "`?"
                : "unknown key `" + key + "` (allowed: " + list + ")";
    }

    /** Whether {@code key} reads as a field name rather than as something that may be a secret. */
    static boolean nameable(String key) {
        if (key.length() > MAX_NAMEABLE || !IDENTIFIER.matcher(key).matches()) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (TOKEN_PREFIXES.stream().anyMatch(lower::startsWith)) {
            return false;
        }
        long digits = key.chars().filter(Character::isDigit).count();
        long upper = key.chars().filter(Character::isUpperCase).count();
        // camelCase has a capital every word; random text has one in two letters
        return digits <= 2 && upper <= Math.max(2, key.length() / 5);
    }

    /** The allowed key nearest to {@code key}, if it is near enough to be a slip. */
    static @Nullable String nearest(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(allowed)) {
            int d = candidate.equalsIgnoreCase(key) ? 0 : distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? best : null;
    }

    /** Levenshtein distance; both strings are short (keys of at most {@value #MAX_NAMEABLE} characters). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
