/**
 * The model catalog in a database: {@link org.mlregistry.catalog.jdbc.JdbcModelCatalog} over plain JDBC
 * with Flyway migrations, and {@link org.mlregistry.catalog.jdbc.CatalogDataSources} for the two databases
 * the registry is tested on (embedded H2 for one node, PostgreSQL for several).
 */
@NullMarked
package org.mlregistry.catalog.jdbc;

import org.jspecify.annotations.NullMarked;
