/**
 * Registered models, versions and their manifests in a database (embedded SQLite or H2, PostgreSQL) through JDBC, its
 * schema kept by Flyway.
 */
// Flyway and H2 are automatic modules; Flyway 13 names none, so it is required by the name its file gives it
@SuppressWarnings("requires-automatic")
module org.mlregistry.catalog.jdbc {
    requires transitive org.mlregistry.core;
    requires transitive java.sql;
    requires transitive com.zaxxer.hikari; // CatalogDataSources hands out its data sources
    requires flyway.core;
    requires com.h2database;
    requires org.xerial.sqlitejdbc;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports org.mlregistry.catalog.jdbc;
}
