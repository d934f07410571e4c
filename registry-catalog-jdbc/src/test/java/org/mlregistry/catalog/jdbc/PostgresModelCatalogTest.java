package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.testing.ModelCatalogContract;

/**
 * The catalog contract on a real PostgreSQL server, started by the test itself from binaries on Maven
 * Central (no Docker): the database for several nodes.
 */
class PostgresModelCatalogTest extends ModelCatalogContract {

    private static EmbeddedPostgres server;
    private static int databases;
    private HikariDataSource pool;

    @BeforeAll
    static void startPostgres() throws IOException {
        server = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        server.close();
    }

    /** A fresh database per test: the contract wants an empty catalog every time. */
    @Override
    protected ModelCatalog catalog() throws IOException {
        String name = "catalog_" + (++databases);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name); // a fixed name made here, not input
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
        pool = CatalogDataSources.pooled(server.getJdbcUrl("postgres", name), "postgres", "postgres");
        return JdbcModelCatalog.migrate(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
