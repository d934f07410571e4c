package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * Connection pools for the catalog, configured so that a database that is down is an error within
 * {@link #CONNECT_TIMEOUT}, never a hang: embedded SQLite (the default) or H2 in a folder (one machine), or any JDBC
 * URL (PostgreSQL for several nodes). The caller closes the pool.
 */
public final class CatalogDataSources {

    /** How long a request waits for a connection before the catalog reports itself unavailable. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** An embedded catalog file larger than this is compacted when it is opened: 64 MiB, some 4,500 changes. */
    public static final long H2_COMPACT_ABOVE = 64L << 20;

    private static final String H2_NAME = "catalog";

    private CatalogDataSources() {
    }

    /**
     * Embedded H2 with its files in {@code directory} (created if needed). {@code WRITE_DELAY=0}: H2's default
     * keeps commits in memory for up to half a second, so a process killed then lost versions it had already
     * answered for, and handed their ids out again over the files of the lost ones (found by
     * {@code CrashConsistencyTest}). That alone still lost some under {@code kill -9}; {@link JdbcModelCatalog}
     * also forces each of its changes to the file on H2.
     *
     * <p>{@code REUSE_SPACE=FALSE}: new data is appended, never written into space freed inside the file. With
     * reuse, after a restart H2 placed its next chunks in freed space at the start of the file, while the file
     * header still named the last chunk of the previous run, whose link pointed at the end of the file; killed
     * before about 20 more commits moved the header on, the reopened store ended its chain at that old chunk and
     * every version since was gone (seen in a crash run's kept catalog with H2's {@code MVStoreTool -dump}).
     * Appending keeps every chunk on the chain; the file grows by about 14 KiB per change, and a file above
     * {@link #H2_COMPACT_ABOVE} is compacted before it is opened ({@link H2FileCompaction}).
     */
    public static HikariDataSource h2(Path directory) {
        return h2(directory, H2_COMPACT_ABOVE, "");
    }

    /**
     * {@link #h2(Path)}, compacting a file above {@code compactAbove} bytes, with more H2 settings
     * ({@code ;NAME=value...}) after the catalog's own: for tests.
     */
    static HikariDataSource h2(Path directory, long compactAbove, String moreSettings) {
        Path base = directory.toAbsolutePath().resolve(H2_NAME);
        H2FileCompaction.compactIfLarger(base.resolveSibling(H2_NAME + ".mv.db"), compactAbove);
        return pool("jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;REUSE_SPACE=FALSE;LOCK_TIMEOUT=10000" + moreSettings,
                "sa", "");
    }

    /** The embedded SQLite catalog's file in its directory. */
    public static final String SQLITE_FILE = "catalog.sqlite";
    /** How long a write waits for another process's (or connection's) write to the SQLite file before it fails. */
    public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Embedded SQLite in {@code directory} (created if needed), {@value #SQLITE_FILE}: write-ahead logging (readers never
     * wait for a writer; several processes on one machine share the file), {@code synchronous=FULL} (each commit is on
     * disk when it returns, power loss included), foreign keys enforced, and a busy timeout of
     * {@link #SQLITE_BUSY_TIMEOUT}, past which the catalog answers 503. Reads run in auto-commit mode; writes begin
     * with {@code BEGIN IMMEDIATE}, taking the write lock at once ({@link Transactions}).
     *
     * @throws IllegalStateException when the directory cannot be created
     */
    public static HikariDataSource sqlite(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the catalog directory " + directory, e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout((int) SQLITE_BUSY_TIMEOUT.toMillis());
        HikariConfig c = config("jdbc:sqlite:" + directory.toAbsolutePath().resolve(SQLITE_FILE), "", "");
        c.setDataSourceProperties(sqlite.toProperties());
        return new HikariDataSource(c);
    }

    /** A pool for {@code url}; the password is never logged. */
    public static HikariDataSource pooled(String url, String user, String password) {
        return pool(url, user, password);
    }

    private static HikariDataSource pool(String url, String user, String password) {
        return new HikariDataSource(config(url, user, password));
    }

    private static HikariConfig config(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setPoolName("mlregistry-catalog");
        c.setMaximumPoolSize(10);
        c.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        c.setValidationTimeout(Math.min(CONNECT_TIMEOUT.toMillis(), 3000));
        c.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        return c;
    }
}
