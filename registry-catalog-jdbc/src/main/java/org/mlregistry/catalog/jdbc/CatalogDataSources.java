package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Connection pools for the catalog, configured so that a database that is down is an error within
 * {@link #CONNECT_TIMEOUT}, never a hang: embedded H2 in a folder (one node), or any JDBC URL
 * (PostgreSQL for several nodes). The caller closes the pool.
 */
public final class CatalogDataSources {

    /** How long a request waits for a connection before the catalog reports itself unavailable. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private CatalogDataSources() {
    }

    /**
     * Embedded H2 with its files in {@code directory} (created if needed). {@code WRITE_DELAY=0}: H2's default
     * keeps commits in memory for up to half a second, so a process killed then lost versions it had already
     * answered for, and handed their ids out again over the files of the lost ones (found by
     * {@code CrashConsistencyTest}). That alone still lost some under {@code kill -9}; {@link JdbcModelCatalog}
     * also forces each of its changes to the file on H2.
     */
    public static HikariDataSource h2(Path directory) {
        return pool("jdbc:h2:file:" + directory.toAbsolutePath().resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                "sa", "");
    }

    /** A pool for {@code url}; the password is never logged. */
    public static HikariDataSource pooled(String url, String user, String password) {
        return pool(url, user, password);
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setPoolName("mlregistry-catalog");
        c.setMaximumPoolSize(10);
        c.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        c.setValidationTimeout(Math.min(CONNECT_TIMEOUT.toMillis(), 3000));
        c.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        return new HikariDataSource(c);
    }
}
