package org.mlregistry.catalog.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per physical connection for the catalog's hottest query, the manifest row a download reads:
 * SQLite's driver parses a statement again at every {@code prepareStatement}, about 6 of the 11 microseconds the
 * read costs (PostgreSQL's and H2's drivers keep caches of their own, which this one spares nothing to). The
 * statement is prepared on the pool's physical connection, so that returning the connection to the pool does not close
 * it; a connection the pool retires takes its statements with it (weakly held).
 *
 * <p>A kept statement is used only by the thread that has borrowed its connection, and its result set is always closed
 * before the connection goes back: SQLite then resets the statement, which holds no read transaction open (a
 * checkpoint of the write-ahead log is not held up by it).
 *
 * <p>Threading: safe for concurrent use.
 */
final class StatementCache {

    /** Binds a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** Reads a whole result set. */
    interface Reader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private final Map<Connection, Map<String, PreparedStatement>> kept = Collections.synchronizedMap(new WeakHashMap<>());

    /** Runs {@code sql} (one of the catalog's constants, never text from a request) on {@code c} with a kept statement. */
    <T> T query(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        PreparedStatement s = statement(c.unwrap(Connection.class), sql);
        s.clearParameters();
        binder.bind(s);
        try (ResultSet r = s.executeQuery()) {
            return reader.read(r);
        }
    }

    private PreparedStatement statement(Connection physical, String sql) throws SQLException {
        Map<String, PreparedStatement> of = kept.computeIfAbsent(physical, k -> new HashMap<>());
        PreparedStatement s;
        synchronized (of) {
            s = of.get(sql);
        }
        if (s == null || s.isClosed()) {
            s = physical.prepareStatement(sql);
            synchronized (of) {
                of.put(sql, s);
            }
        }
        return s;
    }
}
