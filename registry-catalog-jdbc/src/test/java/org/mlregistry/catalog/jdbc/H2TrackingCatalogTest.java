package org.mlregistry.catalog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.testing.TrackingCatalogContract;

/** The tracking contract on embedded H2 in a folder, as the bundled server uses it. */
class H2TrackingCatalogTest extends TrackingCatalogContract {

    @TempDir
    Path dir;
    private HikariDataSource pool;

    @Override
    protected TrackingCatalog catalog() {
        pool = CatalogDataSources.h2(dir.resolve("catalog"));
        return JdbcModelCatalog.migrate(pool);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
