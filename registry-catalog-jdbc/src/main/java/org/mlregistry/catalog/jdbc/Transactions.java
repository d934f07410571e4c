package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.spi.ManifestCatalog;

/**
 * How the catalog talks to its database: one connection per call, a change in one transaction (rolled back on any
 * failure, forced to the file on H2: {@link Dialect#syncsAfterCommit}), a database error reported by its SQL state only
 * (the driver's message may quote values), a storage step's failure carried through as it was, and a transaction that
 * lost a race ({@link Dialect#lostARace}) run again where the caller says it may.
 *
 * <p>Threading: safe for concurrent use.
 */
final class Transactions {

    /** How often a transaction that lost a race is run again. */
    private static final int ATTEMPTS = 5;

    /** The work of one call, on its connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource db;
    private final Dialect dialect;

    Transactions(DataSource db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /** Reads in auto-commit mode: no transaction, no lock held. */
    <T> T read(Work<T> work) throws IOException {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code work} in one transaction; with {@code sync}, forced to the file before it returns where the database
     * needs it. A unique-constraint violation becomes {@code onDuplicate}'s refusal (or, where none is expected, a
     * failure); any other database error an {@link IOException}.
     */
    <T> T once(Work<T> work, @Nullable Supplier<RegistryException> onDuplicate, boolean sync) throws IOException {
        try {
            return attempt(work, sync);
        } catch (SQLException e) {
            if (onDuplicate != null && Dialect.isUniqueViolation(e)) {
                throw onDuplicate.get();
            }
            throw failed(e);
        }
    }

    /** A change in one transaction, forced where needed, run again (a few times) when it lost a race. */
    <T> T retried(Work<T> work) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work, true);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && Dialect.lostARace(e)) {
                    continue;
                }
                throw failed(e);
            }
        }
    }

    private <T> T attempt(Work<T> work, boolean sync) throws SQLException, IOException {
        if (dialect == Dialect.SQLITE) {
            return attemptImmediate(work);
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                if (sync && dialect.syncsAfterCommit()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CHECKPOINT SYNC");
                    }
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (StepFailed e) {
            throw e.io();
        }
    }

    /**
     * SQLite: the transaction begun and ended by hand, {@code BEGIN IMMEDIATE} taking the write lock at once (two
     * writers that both read first would otherwise fail to upgrade), on a connection left in auto-commit mode (the
     * driver's own transaction handling begins the next transaction right after each commit, holding the lock idle).
     */
    private <T> T attemptImmediate(Work<T> work) throws SQLException, IOException {
        try (Connection c = db.getConnection(); Statement control = c.createStatement()) {
            control.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run(c);
                control.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    control.execute("ROLLBACK");
                } catch (SQLException notInTransaction) {
                    e.addSuppressed(notInTransaction);
                }
                throw e;
            }
        } catch (StepFailed e) {
            throw e.io();
        }
    }

    /** Runs a storage step inside a transaction's work, whose signature allows SQL failures only. */
    static void run(ManifestCatalog.StorageStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new StepFailed(e);
        }
    }

    /** A failure as the registry reports it: the SQL state, never the driver's message (it may quote values). */
    static IOException failed(SQLException e) {
        return new IOException("the catalog database failed (SQL state " + e.getSQLState() + ")", e);
    }

    /** A storage step's failure, carried through the work's SQL-only signature and rethrown as it was. */
    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // never serialized: caught by attempt()
        private final IOException io;

        StepFailed(IOException cause) {
            super(cause);
            this.io = cause;
        }

        IOException io() {
            return io;
        }
    }
}
