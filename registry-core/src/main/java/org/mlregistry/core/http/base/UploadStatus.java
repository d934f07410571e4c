package org.mlregistry.core.http.base;

import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;

/**
 * The upload's {@code status} query parameter, as GitLab's route declares it ({@code default} or {@code hidden}):
 * anything else is refused with 400, after the caller's credentials and before the body is read, as GitLab's parameter
 * validation does. {@code hidden}
 * (a package file listed nowhere) is refused too: this registry has no hidden files, and storing one as a visible
 * file would publish what its uploader meant to hide.
 */
final class UploadStatus {

    private static final String DEFAULT = "default";
    private static final String HIDDEN = "hidden";

    private UploadStatus() {
    }

    /** Refuses a query whose {@code status} (every one given) is not {@code default}. */
    static void check(@Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decoded(eq < 0 ? pair : pair.substring(0, eq));
            if (!key.equals("status")) {
                continue;
            }
            String value = eq < 0 ? "" : decoded(pair.substring(eq + 1));
            if (value.equals(HIDDEN)) {
                throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE,
                        "status hidden is not supported: every file of a version is listed");
            }
            if (!value.equals(DEFAULT)) {
                throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "status does not have a valid value");
            }
        }
    }

    private static String decoded(String raw) {
        try {
            return PercentDecoding.formComponent(raw);
        } catch (IllegalArgumentException e) {
            return raw; // not a valid value either way
        }
    }
}
