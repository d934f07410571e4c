package org.mlregistry.server.config;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.catalog.jdbc.CatalogDataSources;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.storage.fs.FileSystemModelFileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog part of the bundled server's configuration: embedded SQLite under the storage root's internal folder
 * (the default; several processes on one machine may share it), embedded H2 there (what earlier releases made: a
 * root that has an H2 catalog keeps it), a JDBC database such as PostgreSQL (for several nodes), or none (versions are
 * directories). Opened once per process, like storage. The database password is read from the environment
 * variable {@code passwordEnv} names: a configuration file never holds it.
 *
 * @param type which catalog
 * @param url the JDBC URL, for {@link Type#JDBC}
 * @param user the database user, for {@link Type#JDBC}
 * @param passwordEnv the environment variable holding the password, for {@link Type#JDBC}, or {@code null}
 */
public record CatalogConfig(Type type, @Nullable String url, @Nullable String user, @Nullable String passwordEnv) {

    /** The kinds of catalog: {@code EMBEDDED} is SQLite, or H2 where an earlier release made an H2 catalog. */
    public enum Type { EMBEDDED, SQLITE, H2, JDBC, NONE }

    /** The default: embedded, SQLite unless the root already has an H2 catalog. */
    public static final CatalogConfig EMBEDDED = new CatalogConfig(Type.EMBEDDED, null, null, null);
    /** Embedded SQLite. */
    public static final CatalogConfig SQLITE = new CatalogConfig(Type.SQLITE, null, null, null);
    /** Embedded H2, as earlier releases made by default. */
    public static final CatalogConfig H2 = new CatalogConfig(Type.H2, null, null, null);
    private static final Logger LOG = LoggerFactory.getLogger(CatalogConfig.class);

    /** An open catalog, the pool behind it (closed together) and what it is ({@code sqlite}, {@code h2}, {@code jdbc}, {@code none}). */
    public record Open(Optional<ModelCatalog> catalog, @Nullable HikariDataSource pool, String kind) implements AutoCloseable {
        @Override
        public void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /**
     * Opens the catalog (creating or migrating its schema); embedded H2 lives below {@code stateRoot}.
     *
     * @throws ConfigException when {@code passwordEnv} names a variable that is not set
     * @throws StartFailure when the embedded catalog is open in another process
     */
    public Open open(Path stateRoot, Map<String, String> environment) throws ConfigException, StartFailure {
        Path folder = stateRoot.resolve(FileSystemModelFileStore.INTERNAL_DIR).resolve("catalog");
        return switch (type) {
            case NONE -> new Open(Optional.empty(), null, "none");
            case EMBEDDED -> {
                if (Files.exists(folder.resolve("catalog.mv.db"))) {
                    LOG.info("the embedded catalog is the H2 file an earlier release made; new registries get SQLite (docs/operate.md)");
                    yield embedded(folder);
                }
                yield migrate(CatalogDataSources.sqlite(folder), "sqlite");
            }
            case SQLITE -> migrate(CatalogDataSources.sqlite(folder), "sqlite");
            case H2 -> embedded(folder);
            case JDBC -> {
                String password = passwordEnv == null ? "" : Variables.required(environment, passwordEnv, "catalog.passwordEnv");
                yield migrate(CatalogDataSources.pooled(String.valueOf(url), user == null ? "" : user, password), "jdbc");
            }
        };
    }

    /** H2's error code for a database file another process holds open. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static Open embedded(Path directory) throws StartFailure {
        try {
            return migrate(CatalogDataSources.h2(directory), "h2");
        } catch (RuntimeException e) {
            if (StartFailure.cause(e, t -> t instanceof SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN).isPresent()) {
                throw new StartFailure("the embedded catalog in " + directory.getParent() + " is open in another process: several "
                        + "processes share an H2 catalog only through one server; stop the other process, or give both a catalog they "
                        + "can share (the embedded SQLite, or \"catalog\": {\"type\": \"jdbc\", ...} such as PostgreSQL)", e);
            }
            throw e;
        }
    }

    private static Open migrate(HikariDataSource pool, String kind) {
        try {
            return new Open(Optional.of(JdbcModelCatalog.migrate(pool)), pool, kind);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
