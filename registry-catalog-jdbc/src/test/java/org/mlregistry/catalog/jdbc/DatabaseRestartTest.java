package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.Health;
import org.mlregistry.core.ModelRegistry;
import org.mlregistry.core.memory.InMemoryModelFileStore;
import org.mlregistry.core.testing.InMemoryHttp;
import org.mlregistry.core.testing.InMemoryResponse;
import org.mlregistry.core.testing.RegistryFixture;
import org.mlregistry.core.testing.TestRegistry;

/**
 * PostgreSQL stopped while requests are in flight, then started again on the same data: every request
 * meanwhile gets an answer (200, or 503 with a JSON body; never a 500 or a hang), nothing committed before
 * is lost, and the registry recovers by itself, without a restart, once the database is back.
 */
class DatabaseRestartTest {

    private static final String[] AUTH = {"Authorization", "Bearer " + TestRegistry.TOKEN};
    private static final String API = "/api/v4/projects/6/ml/mlflow/api/2.0/mlflow/";

    @Test
    void answersThroughADatabaseRestartAndRecoversByItself(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("pg");
        EmbeddedPostgres pg = start(data, port);
        HikariDataSource pool = CatalogDataSources.pooled("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        try {
            ModelRegistry registry = TestRegistry.builder().store(new InMemoryModelFileStore(RegistryFixture.CLOCK))
                    .catalog(JdbcModelCatalog.migrate(pool)).build();
            InMemoryHttp http = new InMemoryHttp(registry);
            assertThat(http.post(API + "registered-models/create", "{\"name\":\"kept\"}", AUTH).statusCode()).isEqualTo(200);

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<List<Integer>>> answers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                answers.add(clients.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        InMemoryResponse r = http.get(API + "registered-models/get?name=kept", AUTH);
                        statuses.add(r.statusCode());
                        if (r.statusCode() != 200) {
                            assertThat(new String(r.bodyBytes(), StandardCharsets.UTF_8)).startsWith("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\"");
                        }
                        Thread.sleep(25);
                    }
                    return statuses;
                }));
            }
            Thread.sleep(200);
            pg.close(); // the database goes away under the clients
            Thread.sleep(500);
            assertThat(registry.health()).isEqualTo(new Health(true, false));
            pg = start(data, port); // and comes back, same data, same address

            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : answers) {
                all.addAll(f.get());
            }
            clients.shutdown();
            assertThat(all).hasSize(160).allMatch(s -> s == 200 || s == 503);
            assertThat(all).contains(503);

            // recovered without a restart: the pool reconnects, what was committed is there, writes work
            assertThat(http.get(API + "registered-models/get?name=kept", AUTH).statusCode()).isEqualTo(200);
            assertThat(http.post(API + "registered-models/create", "{\"name\":\"after\"}", AUTH).statusCode()).isEqualTo(200);
            assertThat(registry.health()).isEqualTo(new Health(true, true));
        } finally {
            pool.close();
            pg.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }
}
