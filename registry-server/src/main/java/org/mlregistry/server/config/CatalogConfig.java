package org.mlregistry.server.config;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.catalog.jdbc.CatalogDataSources;
import org.mlregistry.catalog.jdbc.JdbcModelCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.storage.fs.FileSystemModelFileStore;

/**
 * The catalog part of the bundled server's configuration: embedded H2 under the storage root's internal
 * folder (the default), a JDBC database such as PostgreSQL (for several nodes), or none (versions are
 * directories). Opened once per process, like storage. The database password is read from the environment
 * variable {@code passwordEnv} names: a configuration file never holds it.
 *
 * @param type which catalog
 * @param url the JDBC URL, for {@link Type#JDBC}
 * @param user the database user, for {@link Type#JDBC}
 * @param passwordEnv the environment variable holding the password, for {@link Type#JDBC}, or {@code null}
 */
public record CatalogConfig(Type type, @Nullable String url, @Nullable String user, @Nullable String passwordEnv) {

    /** The kinds of catalog. */
    public enum Type { H2, JDBC, NONE }

    /** The default: embedded H2. */
    public static final CatalogConfig H2 = new CatalogConfig(Type.H2, null, null, null);

    /** An open catalog and the pool behind it, closed together. */
    public record Open(Optional<ModelCatalog> catalog, @Nullable HikariDataSource pool) implements AutoCloseable {
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
        return switch (type) {
            case NONE -> new Open(Optional.empty(), null);
            case H2 -> embedded(stateRoot.resolve(FileSystemModelFileStore.INTERNAL_DIR).resolve("catalog"));
            case JDBC -> {
                String password = passwordEnv == null ? "" : Variables.required(environment, passwordEnv, "catalog.passwordEnv");
                yield migrate(CatalogDataSources.pooled(String.valueOf(url), user == null ? "" : user, password));
            }
        };
    }

    /** H2's error code for a database file another process holds open. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static Open embedded(Path directory) throws StartFailure {
        try {
            return migrate(CatalogDataSources.h2(directory));
        } catch (RuntimeException e) {
            if (StartFailure.cause(e, t -> t instanceof SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN).isPresent()) {
                throw new StartFailure("the embedded catalog in " + directory.getParent() + " is open in another process: several "
                        + "processes serve one root only with a shared catalog (\"catalog\": {\"type\": \"jdbc\", ...}, such as "
                        + "PostgreSQL), so stop the other process or give both that catalog", e);
            }
            throw e;
        }
    }

    private static Open migrate(HikariDataSource pool) {
        try {
            return new Open(Optional.of(JdbcModelCatalog.migrate(pool)), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
