package org.mlregistry.core.http.base;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.http.RegistryHttpResponse;

/**
 * How one protocol words a refusal: renders an {@link ErrorTable} row (whose status it never changes) as that
 * protocol's clients expect it: GitLab's {@code {"message": ...}} ({@link GitLabDialect}), MLflow's
 * {@code {"error_code": ..., "message": ...}}, Hugging Face's {@code X-Error-Code}.
 */
public interface ErrorDialect {

    /**
     * Writes the whole answer for {@code row}; the response is not committed yet.
     *
     * @param detail the refusal's detail: text the registry chose, safe to show
     */
    void write(ErrorRow row, Optional<String> detail, RegistryHttpResponse response) throws IOException;
}
