package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;

/**
 * The embedded catalog keeps every answered change across kills and restarts. A copy of the file taken while
 * the pool is open is what {@code kill -9} leaves (everything written, nothing closed). H2's retention time is
 * set to 0 so that the chunks a run frees are free at once, as they are 45 s later in a real server. With H2's
 * space reuse (the catalog's setting before {@code REUSE_SPACE=FALSE}) this loses an answered version every
 * time: the file's header no longer leads to the chunks written into freed space (what
 * {@code CrashConsistencyTest} found after its fifth kill).
 */
class H2KillRecoveryTest {

    private static final ModelName MODEL = new ModelName("sentiment");

    @TempDir
    Path dir;

    @Test
    void changesAfterARestartSurviveAKill() throws Exception {
        Path file = dir.resolve("catalog.mv.db");
        Path killed = dir.resolve("killed.mv.db");
        List<Long> answered = new ArrayList<>();
        try (HikariDataSource pool = open()) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            catalog.createModel(1, MODEL, "", List.of(), "dev", Instant.now());
            for (int i = 0; i < 60; i++) {
                answered.add(catalog.createVersion(1, MODEL, Optional.empty(), "", List.of(), Instant.now()).id());
            }
            Files.copy(file, killed); // killed here
        }
        Files.move(killed, file, StandardCopyOption.REPLACE_EXISTING);
        try (HikariDataSource pool = open()) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            for (int i = 0; i < 5; i++) {
                answered.add(catalog.createVersion(1, MODEL, Optional.empty(), "", List.of(), Instant.now()).id());
            }
            Files.copy(file, killed); // killed again, a few changes after the restart
        }
        Files.move(killed, file, StandardCopyOption.REPLACE_EXISTING);
        try (HikariDataSource pool = open()) {
            assertThat(JdbcModelCatalog.migrate(pool).listVersions(1, MODEL)).extracting(ModelVersion::id)
                    .containsExactlyInAnyOrderElementsOf(answered);
        }
    }

    private HikariDataSource open() {
        return CatalogDataSources.h2(dir, CatalogDataSources.H2_COMPACT_ABOVE, ";RETENTION_TIME=0");
    }
}
