package org.mlregistry.core.http.mlflow;

import java.io.IOException;
import java.util.Optional;
import org.mlregistry.core.http.RegistryHttpResponse;
import org.mlregistry.core.http.base.ErrorDialect;
import org.mlregistry.core.http.base.ErrorRow;
import org.mlregistry.core.http.base.GitLabDialect;

/**
 * MLflow's words for a refusal, on the MLflow routes: {@code {"error_code": ..., "message": ...}} for what MLflow
 * clients recognise by code (a missing or existing model or version, a bad parameter, an unimplemented endpoint, an
 * unreachable database); authentication and project refusals keep GitLab's words, as GitLab's own MLflow API answers
 * them.
 */
final class MlflowDialect implements ErrorDialect {

    static final MlflowDialect INSTANCE = new MlflowDialect();

    private static final GitLabDialect GITLAB = new GitLabDialect("GET, HEAD, PUT, DELETE");

    private MlflowDialect() {
    }

    @Override
    public void write(ErrorRow row, Optional<String> detail, RegistryHttpResponse response) throws IOException {
        if (row.mlflowCode() == null) {
            GITLAB.write(row, detail, response);
            return;
        }
        GITLAB.headers(row, detail, response);
        GitLabDialect.mlflow(row, detail).send(response, row.status());
    }
}
