package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for a test class, started from binaries on Maven Central (no Docker), handing out a fresh,
 * empty database per test: the contracts want an empty catalog every time.
 */
final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres server;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres server) {
        this.server = server;
    }

    static PostgresServer start() throws IOException {
        return new PostgresServer(EmbeddedPostgres.start());
    }

    /** A pool on a new empty database of this server. */
    HikariDataSource newDatabase() throws IOException {
        String name = "catalog_" + databases.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name); // a fixed name made here, not input
        } catch (SQLException e) {
            throw new IOException(e);
        }
        return CatalogDataSources.pooled(server.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
