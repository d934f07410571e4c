package org.mlregistry.catalog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.Tag;

/**
 * The embedded catalog does not grow with the number of changes but with what it holds: 100,000 small writes
 * (descriptions, versions, files replaced) in one process, without a restart, leave it under 50 MB on disk, where H2
 * (which appends, see {@link CatalogDataSources#h2}) grows about 14 KiB per change.
 */
class SqliteGrowthTest {

    private static final int WRITES = Integer.getInteger("growth.writes", 100_000);

    @TempDir
    Path dir;

    @Test
    void staysUnderFiftyMegabytesAfterAHundredThousandWrites() throws Exception {
        long started = System.nanoTime();
        try (HikariDataSource pool = CatalogDataSources.sqlite(dir)) {
            JdbcModelCatalog c = JdbcModelCatalog.migrate(pool);
            ModelName name = new ModelName("nightly");
            c.createModel(1, name, "", List.of(new Tag("team", "vision")), "dev", Instant.now());
            ModelVersion v = c.createVersion(1, name, Optional.empty(), "", List.of(), Instant.now());
            for (int i = 0; i < WRITES; i++) {
                switch (i % 4) {
                    case 0 -> c.updateModel(1, name, "description " + i, Instant.now());
                    case 1 -> c.updateVersion(1, v.id(), "run " + i, Instant.now());
                    case 2 -> c.putFile(v.id(), new NewFile(FilePath.parse("metrics.json"), Sha256.ofSecret("m" + i), 100, "dev",
                            Instant.now()), FileOverwrite.REPLACE, () -> { });
                    default -> {
                        if (i % 400 == 3) {
                            v = c.createVersion(1, name, Optional.empty(), "", List.of(), Instant.now());
                        } else {
                            c.forgetHistory(Instant.now());
                        }
                    }
                }
            }
        }
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("sqlite catalog: %d writes in %.1f s, %.1f MB on disk%n", WRITES, (System.nanoTime() - started) / 1e9,
                bytes / 1e6);
        assertThat(bytes).isLessThan(50_000_000L);
    }
}
