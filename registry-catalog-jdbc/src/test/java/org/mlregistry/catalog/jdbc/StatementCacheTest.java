package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Sha256;

/**
 * The download path's kept statements on embedded SQLite: every pooled connection's statement sees what another process
 * committed since, none holds a read transaction that would keep the write-ahead log from being checkpointed (checked
 * right after reads that found a row), and a connection the pool retires is replaced without an error and forgotten.
 */
class StatementCacheTest {

    private static final FilePath FILE = FilePath.parse("model.bin");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    private JdbcModelCatalog process() {
        HikariDataSource pool = CatalogDataSources.sqlite(dir.resolve("catalog"));
        pools.add(pool);
        return JdbcModelCatalog.migrate(pool);
    }

    private static void put(JdbcModelCatalog catalog, long versionId, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        catalog.putFile(versionId, new NewFile(FILE, Sha256.hash(bytes), bytes.length, "dev", NOW), FileOverwrite.REPLACE, () -> { });
    }

    /** Finds the file on four threads at once, so that several pooled connections keep a statement; the digests found. */
    private static List<Sha256> findEverywhere(JdbcModelCatalog catalog, long versionId) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch together = new CountDownLatch(4);
            List<Future<Sha256>> found = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                found.add(threads.submit(() -> {
                    together.countDown();
                    together.await();
                    return catalog.findFile(versionId, FILE).map(ManifestFile::sha256).orElse(null);
                }));
            }
            List<Sha256> out = new ArrayList<>();
            for (Future<Sha256> f : found) {
                out.add(f.get());
            }
            return out;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void keptStatementsSeeAnotherProcessesCommitsAndHoldNoSnapshot() throws Exception {
        JdbcModelCatalog serving = process();
        JdbcModelCatalog other = process();
        serving.createModel(1, new ModelName("m"), "", List.of(), "dev", NOW);
        long v = serving.createVersion(1, new ModelName("m"), java.util.Optional.of(SemanticVersion.parse("1.0.0")), "", List.of(), NOW).id();
        put(serving, v, "one");
        assertThat(findEverywhere(serving, v)).containsOnly(Sha256.hash("one".getBytes(StandardCharsets.UTF_8)));

        put(other, v, "two");
        assertThat(findEverywhere(serving, v)).as("at once, on every connection").containsOnly(Sha256.hash("two".getBytes(StandardCharsets.UTF_8)));
        other.removeFile(v, FILE, NOW);
        assertThat(findEverywhere(serving, v)).containsOnly((Sha256) null);

        put(other, v, "again");
        assertThat(findEverywhere(serving, v)).as("a row found: the statements ran and were reset")
                .containsOnly(Sha256.hash("again".getBytes(StandardCharsets.UTF_8)));
        int kept = serving.statements().connections();
        assertThat(kept).as("statements kept, at most one set per pooled connection").isBetween(1, 10);
        try (Connection c = pools.get(1).getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).as("no reader kept the checkpoint from finishing").isZero();
        }
        assertThat(Files.size(dir.resolve("catalog").resolve(CatalogDataSources.SQLITE_FILE + "-wal"))).isZero();

        put(other, v, "three");
        pools.get(0).getHikariPoolMXBean().softEvictConnections();
        assertThat(findEverywhere(serving, v)).as("on new connections").containsOnly(Sha256.hash("three".getBytes(StandardCharsets.UTF_8)));
        assertThat(serving.statements().connections()).as("the retired connections' statements are forgotten").isBetween(1, 10);
    }
}
