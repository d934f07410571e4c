package org.mlregistry.catalog.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prepared statements kept per physical connection for the catalog's hottest query on SQLite, the manifest row a
 * download reads: SQLite's driver parses a statement again at every {@code prepareStatement}, about 6 of the 11
 * microseconds the read costs (PostgreSQL's and H2's drivers keep caches of their own, so they are not used with this).
 * The statement is prepared on the pool's physical connection, so that returning the connection to the pool does not
 * close it.
 *
 * <p>Only a pooled connection in auto-commit mode keeps statements (one whose {@code unwrap} gives another object; a
 * connection of its own per call would make every call a miss), at most {@value #MAX_CONNECTIONS} connections at once;
 * a connection the pool has closed is forgotten at the next miss, with its statements. A statement that failed is
 * closed and forgotten, so that the pool's own handling of the failure is not bypassed twice.
 *
 * <p>A kept statement is used only by the thread that has borrowed its connection, and its result set is always closed
 * before the connection goes back: SQLite then resets the statement, which holds no read transaction open (a
 * checkpoint of the write-ahead log is not held up by it).
 *
 * <p>Threading: safe for concurrent use.
 */
final class StatementCache {

    /** More connections than a pool of the catalog's size has: past it, statements are prepared per call. */
    static final int MAX_CONNECTIONS = 64;

    /** Binds a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** Reads a whole result set. */
    interface Reader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private final IdentityHashMap<Connection, Map<String, PreparedStatement>> kept = new IdentityHashMap<>();

    /** Runs {@code sql} (one of the catalog's constants, never text from a request) on {@code c}, with a kept statement. */
    <T> T query(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        Connection physical = c.unwrap(Connection.class);
        @Nullable PreparedStatement s = physical == c || !c.getAutoCommit() ? null : kept(physical, sql);
        if (s == null) {
            try (PreparedStatement once = c.prepareStatement(sql)) {
                return run(once, binder, reader);
            }
        }
        try {
            return run(s, binder, reader);
        } catch (SQLException | RuntimeException e) {
            forget(physical, sql, s);
            throw e;
        }
    }

    private static <T> T run(PreparedStatement s, Binder binder, Reader<T> reader) throws SQLException {
        binder.bind(s);
        try (ResultSet r = s.executeQuery()) {
            return reader.read(r);
        }
    }

    /** The statement kept for {@code sql} on {@code physical}, prepared now if there is none; null past the bound. */
    private @Nullable PreparedStatement kept(Connection physical, String sql) throws SQLException {
        synchronized (kept) {
            Map<String, PreparedStatement> of = kept.get(physical);
            PreparedStatement s = of == null ? null : of.get(sql);
            if (s != null && !s.isClosed()) {
                return s;
            }
            if (of == null) {
                kept.keySet().removeIf(StatementCache::closed);
                if (kept.size() >= MAX_CONNECTIONS) {
                    return null;
                }
                of = new HashMap<>();
                kept.put(physical, of);
            }
            s = physical.prepareStatement(sql);
            of.put(sql, s);
            return s;
        }
    }

    private void forget(Connection physical, String sql, PreparedStatement s) {
        synchronized (kept) {
            Map<String, PreparedStatement> of = kept.get(physical);
            if (of != null) {
                of.remove(sql, s);
            }
        }
        try {
            s.close();
        } catch (SQLException e) {
            // it failed already: the caller reports that
        }
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** How many connections keep statements now. */
    int connections() {
        synchronized (kept) {
            return kept.size();
        }
    }
}
