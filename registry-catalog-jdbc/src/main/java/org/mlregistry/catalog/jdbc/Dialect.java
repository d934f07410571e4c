package org.mlregistry.catalog.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What differs between the databases the catalog runs on, and nothing else: the SQL is written once, in the words
 * H2 and PostgreSQL share, and {@link #sql} rewrites the few that SQLite spells otherwise (no row locks: its write
 * transactions lock the database; {@code LIMIT} for {@code FETCH FIRST}; a JSON array for an array parameter). Also
 * how each reports a lost race and whether commits must be forced to the file (H2).
 */
enum Dialect {
    H2, POSTGRESQL, SQLITE;

    /** The dialect of the database {@code c} is connected to. */
    static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        return product.contains("h2") ? H2 : POSTGRESQL;
    }

    /** {@code sql} in this dialect's words. */
    String sql(String sql) {
        if (this != SQLITE) {
            return sql;
        }
        return sql.replace(" FOR UPDATE", "").replace("FETCH FIRST ? ROWS ONLY", "LIMIT ?").replace("FETCH FIRST 1 ROWS ONLY", "LIMIT 1")
                .replace("= ANY (?)", "IN (SELECT value FROM json_each(?))");
    }

    /** Binds a list where the SQL has {@code = ANY (?)}: an array, or (SQLite) the list as a JSON array. */
    void bindList(Connection c, PreparedStatement s, int index, String sqlType, Collection<?> values) throws SQLException {
        if (this != SQLITE) {
            s.setArray(index, c.createArrayOf(sqlType, values.toArray()));
            return;
        }
        StringBuilder json = new StringBuilder("[");
        for (Object v : values) {
            if (json.length() > 1) {
                json.append(',');
            }
            if (v instanceof Number) {
                json.append(v);
            } else {
                json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(String.valueOf(v))).append('"');
            }
        }
        s.setString(index, json.append(']').toString());
    }

    /** The statement that inserts a row, or updates it when its key exists: which takes the row's lock either way. */
    String upsert(String table, String key, String value) {
        return this == H2 ? "MERGE INTO " + table + " KEY (" + key + ") VALUES (?, ?)"
                : "INSERT INTO " + table + " (" + key + ", " + value + ") VALUES (?, ?) ON CONFLICT (" + key + ") DO UPDATE SET "
                        + value + " = EXCLUDED." + value;
    }

    /**
     * Whether each commit must be followed by {@code CHECKPOINT SYNC}: on H2, a commit is written only if no other
     * thread writes the store at that moment (see {@link JdbcModelCatalog}); PostgreSQL's and SQLite's are durable.
     */
    boolean syncsAfterCommit() {
        return this == H2;
    }

    /** A unique or primary-key violation: {@code 23505} in H2 and PostgreSQL, a constraint error code in SQLite. */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState()) || sqliteCode(s, SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)
                    || sqliteCode(s, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                return true;
            }
        }
        return false;
    }

    /** A row referring to one that is gone: {@code 23503}/{@code 23506} in PostgreSQL and H2, a foreign-key error in SQLite. */
    static boolean isForeignKeyViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23503".equals(s.getSQLState()) || "23506".equals(s.getSQLState())
                    || sqliteCode(s, SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transaction that lost a race and may simply run again: a unique violation (two inserts of one row), H2's
     * concurrent update, PostgreSQL's serialization failure or deadlock, SQLite's busy database past its timeout.
     */
    static boolean lostARace(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = String.valueOf(s.getSQLState());
            boolean h2 = s.getErrorCode() == 90131 || s.getErrorCode() == 50200; // a concurrent update; a lock wait timed out
            if (state.equals("40001") || state.equals("40P01") || h2 || sqliteCode(s, SQLiteErrorCode.SQLITE_BUSY)) {
                return true;
            }
        }
        return isUniqueViolation(e);
    }

    private static boolean sqliteCode(SQLException e, SQLiteErrorCode code) {
        return e instanceof SQLiteException s && s.getResultCode() == code;
    }
}
