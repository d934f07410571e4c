package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.WriteRefusals;

/**
 * The manifests of {@link JdbcModelCatalog} (migration V4): the SQL of {@link ManifestCatalog}, each operation one
 * transaction. A change of a version's manifest locks the version's row first ({@code SELECT ... FOR UPDATE}), so
 * changes of one version and its deletion are serialized; storing or collecting a blob locks the blob's row (an
 * upsert), so an upload and a collection of one content never interleave. Paths are compared exactly ({@code =},
 * {@code LIKE} with its wildcards escaped), never by collation.
 *
 * <p>A manifest is a version's, keyed by its id, or a run's of its own (migration V9), keyed by minus the run's id
 * ({@link org.mlregistry.core.model.Run#manifestKey}): its revision is kept in, and its changes lock, the {@code run}
 * row instead, and only while the run is no version's. The manifest tables hold both kinds, so they refer to neither
 * table (migration V8); deleting a version, or a model with its runs, deletes its manifests explicitly.
 *
 * <p>Threading: safe for concurrent use.
 */
final class JdbcManifests {

    static final long CURRENT = Long.MAX_VALUE;
    private static final int IN_LIST = 500;

    private static final String LOCK_VERSION = "SELECT manifest_rev FROM model_version WHERE id = ? FOR UPDATE";
    private static final String LOCK_RUN = "SELECT manifest_rev FROM run WHERE id = ? AND model_version_id IS NULL FOR UPDATE";
    private static final String RUN_REVISION = "SELECT manifest_rev FROM run WHERE id = ? AND model_version_id IS NULL";
    private static final String SET_RUN_REV = "UPDATE run SET manifest_rev = ? WHERE id = ?";
    private static final String RUN_MANIFEST = "SELECT v.manifest_rev, f.id, f.path, f.size, f.sha256, f.created_at, f.uploaded_by "
            + "FROM run v LEFT JOIN manifest_file f ON f.version_id = -v.id AND f.until_rev = " + CURRENT
            + " WHERE v.id = ? AND v.model_version_id IS NULL";
    private static final String COPY_CURRENT = """
            INSERT INTO manifest_file (version_id, path, size, sha256, uploaded_by, created_at, from_rev, until_rev)
            SELECT CAST(? AS BIGINT), path, size, sha256, uploaded_by, created_at, CAST(? AS BIGINT), until_rev FROM manifest_file
            WHERE version_id = ? AND until_rev = 9223372036854775807""";
    private static final String COUNT_CURRENT = "SELECT COUNT(*) FROM manifest_file WHERE version_id = ? AND until_rev = " + CURRENT;
    private static final String DELETE_FILES = "DELETE FROM manifest_file WHERE version_id = ?";
    private static final String DELETE_REVISIONS = "DELETE FROM manifest_revision WHERE version_id = ?";
    private static final String COLUMNS = "id, path, size, sha256, created_at, uploaded_by";
    private static final String SELECT_CURRENT = "SELECT " + COLUMNS + " FROM manifest_file WHERE version_id = ? AND until_rev = "
            + CURRENT;
    private static final String SELECT_CURRENT_AT = SELECT_CURRENT + " AND path = ?";
    private static final String UNDER = "SELECT 1 FROM manifest_file WHERE version_id = ? AND until_rev = " + CURRENT
            + " AND path LIKE ? ESCAPE '!'";
    private static final String UNDER_RANGE = "SELECT 1 FROM manifest_file WHERE version_id = ? AND until_rev = " + CURRENT
            + " AND path >= ? AND path < ?";
    private static final String MANIFEST = "SELECT v.manifest_rev, f.id, f.path, f.size, f.sha256, f.created_at, f.uploaded_by "
            + "FROM model_version v LEFT JOIN manifest_file f ON f.version_id = v.id AND f.until_rev = " + CURRENT + " WHERE v.id = ?";
    private static final String MANIFEST_AT = "SELECT r.rev, f.id, f.path, f.size, f.sha256, f.created_at, f.uploaded_by "
            + "FROM manifest_revision r LEFT JOIN manifest_file f ON f.version_id = r.version_id AND f.from_rev <= r.rev "
            + "AND f.until_rev > r.rev WHERE r.version_id = ? AND r.rev = ?";
    private static final String INSERT_FILE = """
            INSERT INTO manifest_file (version_id, path, size, sha256, uploaded_by, created_at, from_rev, until_rev)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SUPERSEDE_FILE = "UPDATE manifest_file SET until_rev = ? WHERE id = ?";
    private static final String SET_REV = "UPDATE model_version SET manifest_rev = ? WHERE id = ?";
    private static final String SUPERSEDE_REV = "UPDATE manifest_revision SET superseded_at = ? WHERE version_id = ? AND rev = ?";
    private static final String INSERT_REV = "INSERT INTO manifest_revision (version_id, rev) VALUES (?, ?)";
    private static final String NAME_COMMIT = "UPDATE manifest_revision SET commit_id = ? WHERE version_id = ? AND rev = ?";
    private static final String FORGET_REVS = "DELETE FROM manifest_revision WHERE superseded_at IS NOT NULL AND superseded_at < ?";
    private static final String FORGET_FILES = """
            DELETE FROM manifest_file WHERE until_rev <> 9223372036854775807 AND NOT EXISTS (SELECT 1 FROM manifest_revision r
            WHERE r.version_id = manifest_file.version_id AND r.rev >= manifest_file.from_rev AND r.rev < manifest_file.until_rev)""";
    private static final String REFERENCED = "SELECT 1 FROM manifest_file WHERE sha256 = ? FETCH FIRST 1 ROWS ONLY";
    private static final String REFERENCED_PAGE = """
            SELECT sha256, MAX(size), MIN(created_at) FROM manifest_file WHERE sha256 > ? GROUP BY sha256 ORDER BY sha256
            FETCH FIRST ? ROWS ONLY""";
    private static final String DELETE_BLOB = "DELETE FROM blob WHERE sha256 = ?";

    private final Transactions transactions;
    private final Dialect dialect;
    private final StatementCache statements = new StatementCache();

    JdbcManifests(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    /** The statement that inserts a new version's first (empty) revision: part of the version's own transaction. */
    static void versionCreated(Connection c, long versionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_REV)) {
            s.setLong(1, versionId);
            s.setLong(2, 0);
            s.executeUpdate();
        }
    }

    /** One statement, so one snapshot: the revision and its files as one commit left them. */
    Optional<Manifest> manifest(long versionId) throws IOException {
        return read(c -> versionId < 0 ? joined(c, RUN_MANIFEST, versionId, -versionId, -1) : joined(c, MANIFEST, versionId, versionId, -1));
    }

    /**
     * The revision's number and the files of manifest {@code key}, selected by {@code query} (given {@code bound}) in one
     * statement; empty when it selects no row.
     */
    private static Optional<Manifest> joined(Connection c, String query, long key, long bound, long revision) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, bound);
            if (revision >= 0) {
                s.setLong(2, revision);
            }
            try (ResultSet r = s.executeQuery()) {
                Long rev = null;
                List<ManifestFile> files = new ArrayList<>();
                while (r.next()) {
                    rev = r.getLong(1);
                    if (r.getObject(2) != null) {
                        files.add(row(r, 1));
                    }
                }
                return rev == null ? Optional.empty() : Optional.of(new Manifest(key, rev, files));
            }
        }
    }

    Optional<Long> revision(long versionId) throws IOException {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement(versionId < 0 ? RUN_REVISION : "SELECT manifest_rev FROM model_version WHERE id = ?")) {
                s.setLong(1, Math.abs(versionId));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    /** The download path's read: on SQLite, with a statement kept per connection ({@link StatementCache}). */
    Optional<ManifestFile> findFile(long versionId, FilePath path) throws IOException {
        if (dialect != Dialect.SQLITE) {
            return read(c -> current(c, versionId, name(path)));
        }
        String name = name(path);
        return read(c -> statements.query(c, SELECT_CURRENT_AT, s -> {
            s.setLong(1, versionId);
            s.setString(2, name);
        }, r -> r.next() ? Optional.of(row(r)) : Optional.<ManifestFile>empty()));
    }

    /** The statements kept for {@link #findFile}. */
    StatementCache statements() {
        return statements;
    }

    boolean isDirectory(long versionId, FilePath path) throws IOException {
        return read(c -> under(c, versionId, path));
    }

    ManifestFile putFile(long versionId, NewFile file, FileOverwrite overwrite, ManifestCatalog.StorageStep place) throws IOException {
        return write(c -> {
            long rev = lockVersion(c, versionId);
            Optional<ManifestFile> existing = current(c, versionId, name(file.path()));
            if (existing.isPresent() && overwrite == FileOverwrite.REFUSE) {
                throw WriteRefusals.fileExists();
            }
            checkConflicts(c, versionId, file.path());
            lockBlob(c, file.sha256(), file.size());
            Transactions.run(place);
            if (existing.isPresent() && existing.get().sha256().equals(file.sha256())) {
                return existing.get();
            }
            return put(c, versionId, rev, file, existing);
        });
    }

    boolean adoptFile(long versionId, NewFile file, ManifestCatalog.StorageStep place) throws IOException {
        return write(c -> {
            long rev = lockVersion(c, versionId);
            if (current(c, versionId, name(file.path())).isPresent()) {
                return false;
            }
            checkConflicts(c, versionId, file.path());
            lockBlob(c, file.sha256(), file.size());
            Transactions.run(place);
            put(c, versionId, rev, file, Optional.empty());
            return true;
        });
    }

    boolean removeFile(long versionId, FilePath path, Instant now) throws IOException {
        return write(c -> {
            OptionalRev locked = lock(c, versionId);
            if (locked.missing()) {
                return false;
            }
            Optional<ManifestFile> existing = current(c, versionId, name(path));
            if (existing.isEmpty()) {
                return false;
            }
            long next = nextRevision(c, versionId, locked.value(), now);
            update(c, SUPERSEDE_FILE, next, existing.get().id());
            return true;
        });
    }

    /** One statement: a revision forgotten meanwhile is absent, never half there. */
    Optional<Manifest> manifestAt(long versionId, long revision) throws IOException {
        return read(c -> joined(c, MANIFEST_AT, versionId, versionId, revision));
    }

    void nameCommit(ManifestCatalog.Revision revision, String commitId) throws IOException {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement(NAME_COMMIT)) {
                s.setString(1, commitId);
                s.setLong(2, revision.versionId());
                s.setLong(3, revision.revision());
                s.executeUpdate();
            }
            return Boolean.TRUE;
        });
    }

    Optional<ManifestCatalog.Revision> findCommit(Collection<Long> versionIds, String commitId) throws IOException {
        List<Long> ids = List.copyOf(versionIds);
        return read(c -> {
            ManifestCatalog.Revision best = null;
            for (int from = 0; from < ids.size(); from += IN_LIST) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
                String sql = "SELECT version_id, rev FROM manifest_revision WHERE commit_id = ? AND version_id IN ("
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, commitId);
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setLong(i + 2, chunk.get(i));
                    }
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            if (best == null || r.getLong(2) > best.revision()) {
                                best = new ManifestCatalog.Revision(r.getLong(1), r.getLong(2));
                            }
                        }
                    }
                }
            }
            return Optional.ofNullable(best);
        });
    }

    int forgetHistory(Instant supersededBefore) throws IOException {
        return write(c -> {
            int forgotten;
            try (PreparedStatement s = c.prepareStatement(FORGET_REVS)) {
                s.setLong(1, JdbcTimes.nanos(supersededBefore));
                forgotten = s.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate(FORGET_FILES);
            }
            return forgotten;
        });
    }

    boolean collectBlob(Sha256 sha256, ManifestCatalog.StorageStep delete) throws IOException {
        return write(c -> {
            lockBlob(c, sha256, 0);
            if (referenced(c, sha256)) {
                return false;
            }
            if (dialect.syncsAfterCommit()) {
                // H2 shows commits before they are on disk: the deletion that left the blob unreferenced is made durable
                // first, else a kill could bring its manifest back without its blob
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
            }
            Transactions.run(delete);
            try (PreparedStatement s = c.prepareStatement(DELETE_BLOB)) {
                s.setString(1, sha256.hex());
                s.executeUpdate();
            }
            return true;
        });
    }

    void underBlobLock(Sha256 sha256, ManifestCatalog.StorageStep step) throws IOException {
        write(c -> {
            lockBlob(c, sha256, 0);
            Transactions.run(step);
            return Boolean.TRUE;
        });
    }

    boolean referenced(Sha256 sha256) throws IOException {
        return read(c -> referenced(c, sha256));
    }

    List<StoredBlob> referencedBlobs(@Nullable Sha256 after, int limit) throws IOException {
        return read(c -> {
            List<StoredBlob> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(REFERENCED_PAGE))) {
                s.setString(1, after == null ? "" : after.hex());
                s.setInt(2, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new StoredBlob(Sha256.parseHex(r.getString(1).trim()), r.getLong(2), JdbcTimes.instant(r.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    private boolean referenced(Connection c, Sha256 sha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.sql(REFERENCED))) {
            s.setString(1, sha256.hex());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private ManifestFile put(Connection c, long versionId, long rev, NewFile file, Optional<ManifestFile> existing) throws SQLException {
        long next = nextRevision(c, versionId, rev, file.now());
        if (existing.isPresent()) {
            update(c, SUPERSEDE_FILE, next, existing.get().id());
        }
        long id;
        try (PreparedStatement s = c.prepareStatement(INSERT_FILE, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, versionId);
            s.setString(2, name(file.path()));
            s.setLong(3, file.size());
            s.setString(4, file.sha256().hex());
            s.setString(5, file.uploadedBy());
            s.setLong(6, JdbcTimes.nanos(file.now()));
            s.setLong(7, next);
            s.setLong(8, CURRENT);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no generated id");
                }
                id = keys.getLong(1);
            }
        }
        return new ManifestFile(id, file.path(), file.size(), file.sha256(), file.now(), file.uploadedBy());
    }

    /** Supersedes revision {@code rev} and makes the next one current: its number. */
    private static long nextRevision(Connection c, long versionId, long rev, Instant now) throws SQLException {
        long next = rev + 1;
        update(c, versionId < 0 ? SET_RUN_REV : SET_REV, next, Math.abs(versionId));
        try (PreparedStatement s = c.prepareStatement(SUPERSEDE_REV)) {
            s.setLong(1, JdbcTimes.nanos(now));
            s.setLong(2, versionId);
            s.setLong(3, rev);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_REV)) {
            s.setLong(1, versionId);
            s.setLong(2, next);
            s.executeUpdate();
        }
        return next;
    }

    /** Locks the row that keeps manifest {@code key}'s revision (a version's, or a run's of its own): that revision. */
    private OptionalRev lock(Connection c, long key) throws SQLException {
        return key < 0 ? revision(c, dialect.sql(LOCK_RUN), -key) : revision(c, dialect.sql(LOCK_VERSION), key);
    }

    /**
     * Puts manifest {@code from}'s current files into manifest {@code to} as one new revision of it (rows naming the same
     * blobs, with the times their content was uploaded), in the caller's transaction: what promoting a run does. The
     * target is locked first; the caller has checked it holds no files.
     */
    void copyCurrent(Connection c, long from, long to, Instant now) throws SQLException {
        long rev = lockVersion(c, to);
        if (!hasFiles(c, from)) {
            return;
        }
        long next = nextRevision(c, to, rev, now);
        try (PreparedStatement s = c.prepareStatement(COPY_CURRENT)) {
            s.setLong(1, to);
            s.setLong(2, next);
            s.setLong(3, from);
            s.executeUpdate();
        }
    }

    /** Whether manifest {@code key} has current files, in the caller's transaction. */
    static boolean hasFiles(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(COUNT_CURRENT)) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) > 0;
            }
        }
    }

    /** Deletes manifest {@code key} with its history, in the caller's transaction: its blobs go with a collection. */
    static void forget(Connection c, long key) throws SQLException {
        update(c, DELETE_FILES, key);
        update(c, DELETE_REVISIONS, key);
    }

    private static void update(Connection c, String sql, long only) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, only);
            s.executeUpdate();
        }
    }

    private long lockVersion(Connection c, long versionId) throws SQLException {
        OptionalRev rev = lock(c, versionId);
        if (rev.missing()) {
            throw new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Model version not found");
        }
        return rev.value();
    }

    /** Takes the blob's lock: its row, inserted if missing. */
    private void lockBlob(Connection c, Sha256 sha256, long size) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.upsert("blob", "sha256", "size"))) {
            s.setString(1, sha256.hex());
            s.setLong(2, size);
            s.executeUpdate();
        }
    }

    private void checkConflicts(Connection c, long versionId, FilePath path) throws SQLException {
        List<String> segments = path.segments();
        for (int i = 1; i < segments.size(); i++) {
            if (current(c, versionId, String.join("/", segments.subList(0, i))).isPresent()) {
                throw WriteRefusals.fileInTheWay(segments.get(i - 1));
            }
        }
        if (under(c, versionId, path)) {
            throw WriteRefusals.directoryInTheWay(path.fileName());
        }
    }

    /** Whether current files of the version lie below {@code path}. */
    private boolean under(Connection c, long versionId, FilePath path) throws SQLException {
        boolean sqlite = dialect == Dialect.SQLITE;
        try (PreparedStatement s = c.prepareStatement(sqlite ? UNDER_RANGE : UNDER)) {
            s.setLong(1, versionId);
            if (sqlite) { // LIKE ignores ASCII case there; a byte range under the BINARY collation does not
                s.setString(2, name(path) + "/");
                s.setString(3, name(path) + "0");
            } else {
                s.setString(2, escapeLike(name(path)) + "/%");
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static Optional<ManifestFile> current(Connection c, long versionId, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_CURRENT_AT)) {
            s.setLong(1, versionId);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private static ManifestFile row(ResultSet r) throws SQLException {
        return row(r, 0);
    }

    /** The file whose {@link #COLUMNS} start after the first {@code skip} columns. */
    private static ManifestFile row(ResultSet r, int skip) throws SQLException {
        return new ManifestFile(r.getLong(skip + 1), FilePath.parse(r.getString(skip + 2)), r.getLong(skip + 3),
                Sha256.parseHex(r.getString(skip + 4).trim()), JdbcTimes.instant(r.getLong(skip + 5)), r.getString(skip + 6));
    }

    /** A version's revision, or that there is no such version. */
    private record OptionalRev(boolean missing, long value) {
    }

    private static OptionalRev revision(Connection c, String query, long versionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, versionId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new OptionalRev(false, r.getLong(1)) : new OptionalRev(true, 0);
            }
        }
    }

    private static void update(Connection c, String sql, long first, long second) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, first);
            s.setLong(2, second);
            s.executeUpdate();
        }
    }

    private static String name(FilePath path) {
        return String.join("/", path.segments());
    }

    private <T> T read(Transactions.Work<T> work) throws IOException {
        return transactions.read(work);
    }

    /** One transaction, run again when it lost a race for a new row; forced to the file on H2 as the catalog's are. */
    private <T> T write(Transactions.Work<T> work) throws IOException {
        return transactions.retried(work);
    }

    Optional<String> setting(String name) throws IOException {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT setting_value FROM registry_setting WHERE setting_name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    void putSetting(String name, String value) throws IOException {
        String upsert = dialect.upsert("registry_setting", "setting_name", "setting_value");
        write(c -> {
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                s.setString(1, name);
                s.setString(2, value);
                s.executeUpdate();
            }
            return Boolean.TRUE;
        });
    }
}
