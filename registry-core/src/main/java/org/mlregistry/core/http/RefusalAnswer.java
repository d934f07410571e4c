package org.mlregistry.core.http;

import java.util.Objects;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.base.ErrorRow;
import org.mlregistry.core.http.base.ErrorTable;

/**
 * A refusal's HTTP status and words as GitLab's API says them, read from the registry's one error table: for a protocol
 * outside this module (the web interface) that shows refusals in its own form but must answer the same status as the
 * API for the same refusal.
 *
 * @param status the HTTP status the API answers
 * @param message GitLab's message, with the refusal's detail where the table shows one ({@code 404 Project Not Found})
 */
public record RefusalAnswer(int status, String message) {

    public RefusalAnswer {
        Objects.requireNonNull(message, "message");
    }

    /** How the API answers {@code refusal}. */
    public static RefusalAnswer of(RegistryException refusal) {
        ErrorRow row = ErrorTable.of(refusal.reason());
        return new RefusalAnswer(row.status(), row.gitlabMessage(refusal.detail()));
    }
}
