package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.testing.TrackingCatalogContract;

/** The tracking contract on a real PostgreSQL server ({@link PostgresServer}): the database for several nodes. */
class PostgresTrackingCatalogTest extends TrackingCatalogContract {

    private static PostgresServer server;
    private HikariDataSource pool;

    @BeforeAll
    static void startPostgres() throws IOException {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        server.close();
    }

    @Override
    protected TrackingCatalog catalog() throws IOException {
        pool = server.newDatabase();
        return JdbcModelCatalog.migrate(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
