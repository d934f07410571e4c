package org.mlregistry.core.http.hub;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.ErrorDialect;
import org.mlregistry.core.http.base.ErrorRow;
import org.mlregistry.core.http.base.GitLabDialect;
import org.mlregistry.core.http.base.JsonBody;

/**
 * Hugging Face's words for a refusal, in the form {@code huggingface_hub} maps to its own errors
 * ({@code hf_raise_for_status}): the {@code X-Error-Code} header ({@code RepoNotFound}, {@code RevisionNotFound},
 * {@code EntryNotFound}; HEAD answers have no body, so the header carries the error) with {@code X-Error-Message},
 * and a JSON body {@code {"error": ...}}. A missing entry also names the commit it is missing from
 * ({@code X-Repo-Commit}, set by the handler once the revision is known), which the client records.
 */
final class HubDialect implements ErrorDialect {

    static final HubDialect INSTANCE = new HubDialect();

    /** The Hub's endpoints are read-only. */
    private static final GitLabDialect HEADERS = new GitLabDialect("GET, HEAD");

    private HubDialect() {
    }

    @Override
    public void write(ErrorRow row, Optional<String> detail, RegistryHttpResponse response) throws IOException {
        HEADERS.headers(row, detail, response);
        String code = row.hubCode();
        if (code != null) {
            response.header("X-Error-Code", code);
        }
        String message = row.hubMessage(detail);
        response.header("X-Error-Message", message);
        new JsonBody().with("error", message).send(response, row.status());
    }
}
