package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Sha256;

/**
 * A catalog written before models and versions had runs (schema V7: a model, a version with a file in its manifest,
 * an experiment with a run) opened by this one: migrations V8 and V9 keep every row and id, and the catalog gives the
 * model its experiment and the version its run as it opens; the old run keeps files of its own from then on. On H2,
 * SQLite (whose V8 rebuilds the manifest tables) and PostgreSQL (whose references V8 finds by the names it gave them).
 */
class RunsOfVersionsMigrationTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // of "test"
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws java.io.IOException {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws java.io.IOException {
        postgres.close();
    }

    @Test
    void onH2() throws Exception {
        try (HikariDataSource pool = CatalogDataSources.h2(dir.resolve("catalog"))) {
            migratesAndBackfills(pool, "migration");
        }
    }

    @Test
    void onSqlite() throws Exception {
        try (HikariDataSource pool = CatalogDataSources.sqlite(dir)) {
            migratesAndBackfills(pool, "sqlite");
        }
    }

    @Test
    void onPostgres() throws Exception {
        try (HikariDataSource pool = postgres.newDatabase()) {
            migratesAndBackfills(pool, "migration");
        }
    }

    private static void migratesAndBackfills(HikariDataSource pool, String folder) throws Exception {
        Flyway.configure().dataSource(pool).locations("classpath:org/mlregistry/catalog/jdbc/" + folder)
                .table(JdbcModelCatalog.HISTORY_TABLE).target("7").load().migrate();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO registered_model (id, project_id, name, description, created_by, created_at, updated_at)"
                    + " VALUES (1, 7, 'm', '', '', 0, 0)");
            s.executeUpdate("INSERT INTO model_version (id, model_id, project_id, semver, semver_key, description, created_at, updated_at,"
                    + " manifest_rev) VALUES (41, 1, 7, '1.0.0', '" + org.mlregistry.core.model.SemanticVersion.parse("1.0.0").precedenceKey()
                    + "', '', 0, 0, 1)");
            s.executeUpdate("INSERT INTO manifest_revision (version_id, rev) VALUES (41, 0)");
            s.executeUpdate("INSERT INTO manifest_revision (version_id, rev) VALUES (41, 1)");
            s.executeUpdate("INSERT INTO manifest_file (id, version_id, path, size, sha256, uploaded_by, created_at, from_rev, until_rev)"
                    + " VALUES (500, 41, 'weights.bin', 4, '" + SHA + "', 'dev', 0, 1, " + Long.MAX_VALUE + ")");
            s.executeUpdate("INSERT INTO blob (sha256, size) VALUES ('" + SHA + "', 4)");
            s.executeUpdate("INSERT INTO experiment (id, project_id, iid, name, created_at, updated_at) VALUES (3, 7, 1, 'training', 0, 0)");
            s.executeUpdate("INSERT INTO iid_counter (counter_key, last_iid) VALUES ('7:experiment', 1)");
            s.executeUpdate("INSERT INTO run (id, project_id, iid, run_uuid, experiment_id, name, user_id, status, start_time)"
                    + " VALUES (9, 7, 1, '" + "a".repeat(32) + "', 3, '', 'dev', 'RUNNING', 0)");
            s.executeUpdate("INSERT INTO iid_counter (counter_key, last_iid) VALUES ('7:run', 1)");
        }

        JdbcModelCatalog catalog = JdbcModelCatalog.migrate(pool);
        ModelVersion v = catalog.findVersion(7, 41).orElseThrow();
        assertThat(v.runId()).matches("[0-9a-f]{32}");
        Run versionRun = catalog.findRun(7, v.runId()).orElseThrow();
        assertThat(versionRun.iid()).as("numbered after the runs before it").isEqualTo(2);
        assertThat(versionRun.versionId()).contains(41L);
        assertThat(catalog.findExperiment(7, versionRun.experimentIid()).orElseThrow().name()).isEqualTo("[model]m");
        ManifestFile kept = catalog.findFile(41, FilePath.parse("weights.bin")).orElseThrow();
        assertThat(kept.id()).as("package file ids kept").isEqualTo(500);
        assertThat(catalog.manifest(41).orElseThrow().revision()).isEqualTo(1);

        Run old = catalog.findRun(7, "a".repeat(32)).orElseThrow();
        long key = catalog.runFiles(7, old.iid()).orElseThrow();
        assertThat(key).isEqualTo(Run.manifestKey(9));
        byte[] bytes = "more".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        catalog.putFile(key, new NewFile(FilePath.parse("more.bin"), Sha256.hash(bytes), 4, "dev", Instant.EPOCH), FileOverwrite.REPLACE,
                () -> { });
        assertThat(catalog.manifest(key).orElseThrow().files()).hasSize(1);
        ModelVersion created = catalog.createVersion(7, new ModelName("m"), Optional.empty(), "", List.of(), Instant.EPOCH);
        assertThat(catalog.promoteRun(7, old.runId(), created.id(), "", Instant.EPOCH).orElseThrow().runId()).isEqualTo(old.runId());
        assertThat(catalog.findFile(created.id(), FilePath.parse("more.bin"))).isPresent();

        JdbcModelCatalog again = JdbcModelCatalog.migrate(pool);
        assertThat(again.findVersion(7, 41).orElseThrow().runId()).as("opened again: nothing made twice").isEqualTo(v.runId());
        assertThat(again.listExperiments(7)).extracting(e -> e.name()).containsExactly("training", "[model]m");
    }
}
