package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.Health;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/** When the catalog's database goes away: a clear 503 within the connection timeout, and known versions still download. */
class CatalogDownTest {

    private static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    private static final String API = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";

    @Test
    void answers503AndKeepsServingKnownVersionsFromTheCache(@TempDir Path dir) throws Exception {
        HikariDataSource pool = CatalogDataSources.h2(dir);
        ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                .catalog(JdbcModelCatalog.migrate(pool)).build();
        InMemoryHttp http = new InMemoryHttp(registry);
        assertThat(registry.health()).isEqualTo(new Health(true, true));
        assertThat(http.put("/api/v4/projects/6/packages/ml_models/1/files/m.bin", new byte[] {1}, AUTH).statusCode())
                .as("no such version yet").isEqualTo(404);
        http.post(API + "registered-models/create", "{\"name\":\"m\"}", AUTH);
        http.post(API + "model-versions/create", "{\"name\":\"m\"}", AUTH);
        String file = "/api/v4/projects/6/packages/ml_models/1/files/m.bin";
        assertThat(http.put(file, "weights".getBytes(StandardCharsets.UTF_8), AUTH).statusCode()).isEqualTo(201);

        pool.close(); // the database is gone

        assertThat(registry.health()).as("the health check sees it").isEqualTo(new Health(true, false));

        Instant start = Instant.now();
        InMemoryResponse down = http.get(API + "registered-models/get?name=m", AUTH);
        assertThat(Duration.between(start, Instant.now())).isLessThan(CatalogDataSources.CONNECT_TIMEOUT.multipliedBy(2));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.bodyText()).isEqualTo("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\","
                + "\"message\":\"the model catalog cannot be reached; try again later\"}");
        assertThat(http.get(file, AUTH).bodyText()).as("a version known a moment ago still downloads").isEqualTo("weights");
        InMemoryResponse unknown = http.get("/api/v4/projects/6/packages/ml_models/2/files/m.bin", AUTH);
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.bodyText()).isEqualTo("{\"message\":\"503 Service Unavailable - the model catalog cannot be reached;"
                + " try again later\"}");
    }
}
