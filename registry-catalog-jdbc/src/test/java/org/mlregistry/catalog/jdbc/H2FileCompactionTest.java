package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;

/** The embedded catalog's append-only file is compacted at open once it is large, and keeps every change. */
class H2FileCompactionTest {

    private static final ModelName MODEL = new ModelName("sentiment");

    @TempDir
    Path dir;

    @Test
    void aLargeFileIsCompactedAtOpenWithEveryVersionKept() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (HikariDataSource pool = CatalogDataSources.h2(dir)) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            catalog.createModel(1, MODEL, "", List.of(), "dev", Instant.now());
            for (int i = 0; i < 120; i++) {
                ids.add(catalog.createVersion(1, MODEL, Optional.empty(), "", List.of(), Instant.now()).id());
            }
        }
        Path file = dir.resolve("catalog.mv.db");
        long grown = Files.size(file);
        assertThat(grown).as("appended, never reused").isGreaterThan(1L << 20);
        // what a process killed in the middle of an earlier compaction leaves beside the file
        Files.write(dir.resolve("catalog.mv.db.tempFile"), new byte[] {1, 2, 3});

        try (HikariDataSource pool = CatalogDataSources.h2(dir, 1L << 20, "")) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            assertThat(Files.size(file)).isLessThan(grown / 4);
            assertThat(catalog.listVersions(1, MODEL)).extracting(ModelVersion::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(catalog.createVersion(1, MODEL, Optional.empty(), "", List.of(), Instant.now()).id()).isNotIn(ids);
        }
        assertThat(dir.resolve("catalog.mv.db.tempFile")).doesNotExist();
    }

    @Test
    void aFileBelowTheThresholdIsOpenedAsItIs() throws Exception {
        try (HikariDataSource pool = CatalogDataSources.h2(dir)) {
            JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
            catalog.createModel(1, MODEL, "", List.of(), "dev", Instant.now());
            catalog.createVersion(1, MODEL, Optional.empty(), "", List.of(), Instant.now());
        }
        long size = Files.size(dir.resolve("catalog.mv.db"));
        try (HikariDataSource pool = CatalogDataSources.h2(dir)) {
            assertThat(JdbcModelCatalog.migrate(pool).listVersions(1, MODEL)).hasSize(1);
            assertThat(Files.size(dir.resolve("catalog.mv.db"))).isGreaterThanOrEqualTo(size);
        }
    }
}
