package org.mlregistry.catalog.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration V8 on H2 and PostgreSQL: the manifest tables stop referring to {@code model_version}, since runs' files are
 * manifests too (keyed by minus the run's id, which no version row has). The references were made without names, and
 * each database names them its own way, so they are found through the driver's metadata and dropped by the names it
 * gives; SQLite's migrations rebuild the two tables instead ({@code sqlite/V8__manifests_of_runs.sql}).
 */
final class ManifestsOfRunsMigration implements JavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("8");
    }

    @Override
    public String getDescription() {
        return "manifests of runs";
    }

    @Override
    public Integer getChecksum() {
        return 8;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        for (String table : List.of("manifest_file", "manifest_revision")) {
            List<String> names = referencesToVersions(c, table);
            if (names.isEmpty()) {
                throw new SQLException("migration V8 found no reference from " + table + " to model_version to drop");
            }
            for (String name : names) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE " + table + " DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }

    /** The names of the foreign keys from {@code table} to {@code model_version}, whatever case the database keeps names in. */
    private static List<String> referencesToVersions(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String> names = new ArrayList<>();
        for (String spelled : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet r = meta.getImportedKeys(c.getCatalog(), c.getSchema(), spelled)) {
                while (r.next()) {
                    String name = r.getString("FK_NAME");
                    if (r.getString("PKTABLE_NAME").equalsIgnoreCase("model_version") && name != null && !names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }
}
