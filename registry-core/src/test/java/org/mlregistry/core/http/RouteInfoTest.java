package org.mlregistry.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlregistry.core.memory.InMemoryModelCatalog;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryRequest;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/** What the handler reports a request addressed: templates and names only, never the client's own text. */
class RouteInfoTest {

    private final InMemoryHttp http = new InMemoryHttp(TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
            .catalog(new InMemoryModelCatalog()).build());

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "GET  | /api/v4/projects/5/packages/ml_models/1/files/a/b.bin | /projects/:id/packages/ml_models/:model_version_id/files/*path | 5 | 1",
        "PUT  | /projects/grp%2Fsub/packages/ml_models/candidate:3/files/x | /projects/:id/packages/ml_models/:model_version_id/files/*path | grp/sub | candidate:3",
        "GET  | /api/v4/projects/6/ml/mlflow/api/2.0/mlflow/registered-models/get?name=glpat-x | /projects/:id/ml/mlflow/api/2.0/mlflow/registered-models/get | 6 | -",
        "POST | /api/v4/projects/6/ml/mlflow/api/2.0/mlflow/model-versions/glpat-secret | /projects/:id/ml/mlflow/api/2.0/mlflow/model-versions/:unknown | 6 | -",
        "GET  | /api/v4/projects/6/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path=1 | /projects/:id/ml/mlflow/api/2.0/mlflow-artifacts/artifacts | 6 | -",
        "GET  | /api/v4/projects/6/ml/mlflow/api/2.0/mlflow-artifacts/artifacts/2/d/f.bin | /projects/:id/ml/mlflow/api/2.0/mlflow-artifacts/artifacts/:model_version_id/*path | 6 | 2",
        "GET  | /api/v4/projects/6/ml/mlflow/api/3.0/mlflow/server-info | /projects/:id/ml/mlflow/* | 6 | -",
        "GET  | /api/v4/projects/%zz/packages/ml_models/x/files/y | /projects/:id/packages/ml_models/:model_version_id/files/*path | - | -",
        "GET  | /elsewhere/glpat-secret | unmatched | - | -",
    })
    void reportsTheRouteTemplateAndTheNamesUnderstood(String method, String path, String template, String project, String version) {
        RouteInfo info = http.send(InMemoryRequest.of(method, path)).route();
        assertThat(info).isEqualTo(new RouteInfo(template, project, version));
        assertThat(info.toString()).doesNotContain("glpat");
    }
}
