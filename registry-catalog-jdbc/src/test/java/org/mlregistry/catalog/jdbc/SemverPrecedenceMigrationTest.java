package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.SemanticVersion;

/**
 * Versions stored before versions were unique by precedence ({@code 1.0.0+a} and {@code 1.0.0+b} of one model, as
 * the first schema allowed) survive the migration that makes them so, all of them, and no further one of that
 * precedence can be created.
 */
class SemverPrecedenceMigrationTest {

    @TempDir
    Path dir;

    @Test
    void keepsVersionsThatCollideByPrecedenceAndRefusesAnotherOne() throws Exception {
        try (HikariDataSource pool = CatalogDataSources.h2(dir.resolve("catalog"))) {
            Flyway.configure().dataSource(pool).locations("classpath:org/mlregistry/catalog/jdbc/migration")
                    .table(JdbcModelCatalog.HISTORY_TABLE).target("1").load().migrate();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO registered_model (id, project_id, name, description, created_by, created_at, updated_at)"
                        + " VALUES (1, 7, 'm', '', '', 0, 0)");
                for (String v : List.of("1.0.0+a", "1.0.0+b", "1.0.0", "2.0.0")) {
                    s.executeUpdate("INSERT INTO model_version (model_id, project_id, semver, description, created_at, updated_at)"
                            + " VALUES (1, 7, '" + v + "', '', 0, 0)");
                }
            }
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            List<ModelVersion> versions = catalog.listVersions(7, new ModelName("m"));
            assertThat(versions).extracting(v -> v.version().toString()).containsExactly("1.0.0+a", "1.0.0+b", "1.0.0", "2.0.0");
            Throwable refused = catchThrowable(() -> catalog.createVersion(7, new ModelName("m"),
                    Optional.of(SemanticVersion.parse("1.0.0+c")), "", List.of(), Instant.EPOCH));
            assertThat(refused).isInstanceOf(RegistryException.class);
            assertThat(((RegistryException) refused).reason()).isEqualTo(Refusal.RESOURCE_ALREADY_EXISTS);
            assertThat(catalog.createVersion(7, new ModelName("m"), Optional.of(SemanticVersion.parse("3.0.0+x")), "", List.of(),
                    Instant.EPOCH).version().toString()).isEqualTo("3.0.0+x");
        }
    }
}
