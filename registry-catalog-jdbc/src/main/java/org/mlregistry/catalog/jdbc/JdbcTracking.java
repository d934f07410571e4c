package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingRefusals;
import org.mlregistry.core.spi.TrackingCatalog;

/**
 * The experiments of {@link JdbcModelCatalog} (migration V6): the experiment part of {@link TrackingCatalog}, each operation one
 * transaction. An experiment's {@code iid} comes from the project's counter ({@link #nextIid}), whose row serializes
 * concurrent creations.
 *
 * <p>Threading: safe for concurrent use.
 */
final class JdbcTracking {

    private static final String COLUMNS = "id, project_id, iid, name, created_at, updated_at, deleted_at";
    private static final String SELECT_BY_IID = "SELECT " + COLUMNS + " FROM experiment WHERE project_id = ? AND iid = ?";
    private static final String SELECT_BY_NAME = "SELECT " + COLUMNS + " FROM experiment WHERE project_id = ? AND name = ?";
    private static final String SELECT_OF_PROJECT = "SELECT " + COLUMNS + " FROM experiment WHERE project_id = ? ORDER BY iid";
    private static final String BUMP_IID = "UPDATE iid_counter SET last_iid = last_iid + 1 WHERE counter_key = ?";
    private static final String INSERT_IID = "INSERT INTO iid_counter (counter_key, last_iid) VALUES (?, 1)";
    private static final String SELECT_IID = "SELECT last_iid FROM iid_counter WHERE counter_key = ?";
    private static final String INSERT = """
            INSERT INTO experiment (project_id, iid, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)""";
    private static final String SELECT_TAGS = "SELECT tag_key, tag_value FROM experiment_tag WHERE experiment_id = ? ORDER BY tag_key";
    private static final String SELECT_TAGS_OF_EXPERIMENTS = """
            SELECT e.iid, t.tag_key, t.tag_value FROM experiment_tag t JOIN experiment e ON e.id = t.experiment_id
            WHERE e.project_id = ? AND e.iid = ANY (?) ORDER BY e.iid, t.tag_key""";
    private static final String DELETE_TAG = "DELETE FROM experiment_tag WHERE experiment_id = ? AND tag_key = ?";
    private static final String INSERT_TAG = "INSERT INTO experiment_tag (experiment_id, tag_key, tag_value) VALUES (?, ?, ?)";
    private static final String SET_DELETED = """
            UPDATE experiment SET deleted_at = COALESCE(deleted_at, ?), updated_at = ? WHERE project_id = ? AND iid = ?""";
    private static final String SET_ACTIVE = "UPDATE experiment SET deleted_at = NULL, updated_at = ? WHERE project_id = ? AND iid = ?";
    private static final String RENAME = "UPDATE experiment SET name = ?, updated_at = ? WHERE project_id = ? AND iid = ?";
    private static final String TOUCH = "UPDATE experiment SET updated_at = ? WHERE id = ?";
    private static final String LOCK = "SELECT id FROM experiment WHERE id = ? FOR UPDATE";
    private static final String DELETE_RUNS = """
            UPDATE run SET deleted_at = COALESCE(deleted_at, ?)
            WHERE experiment_id = (SELECT id FROM experiment WHERE project_id = ? AND iid = ?)""";
    private static final String RESTORE_RUNS = """
            UPDATE run SET deleted_at = NULL WHERE experiment_id = (SELECT id FROM experiment WHERE project_id = ? AND iid = ?)""";
    private static final String SELECT_MODEL_OF = "SELECT model_id FROM experiment WHERE project_id = ? AND iid = ?";
    private static final String COUNT_TAGS = "SELECT COUNT(*) FROM experiment_tag WHERE experiment_id = ?";

    private final Transactions transactions;
    private final Dialect dialect;

    JdbcTracking(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    Experiment createExperiment(long projectId, String name, List<Tag> tags, Instant now) throws IOException {
        return transactions.retried(c -> {
            if (one(c, SELECT_BY_NAME, projectId, name).isPresent()) {
                throw alreadyExists(name);
            }
            long iid = nextIid(c, projectId, "experiment");
            long id;
            try (PreparedStatement s = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                s.setLong(1, projectId);
                s.setLong(2, iid);
                s.setString(3, name);
                s.setLong(4, JdbcTimes.nanos(now));
                s.setLong(5, JdbcTimes.nanos(now));
                s.executeUpdate();
                id = JdbcModelCatalog.generatedId(s);
            }
            Map<String, Tag> byKey = new java.util.TreeMap<>();
            tags.forEach(t -> byKey.put(t.key(), t));
            for (Tag t : byKey.values()) {
                insertTag(c, id, t);
            }
            return new Experiment(id, projectId, iid, name, List.copyOf(byKey.values()), now, now, Optional.empty());
        });
    }

    /**
     * The project's next iid of {@code kind}: the counter's row updated (which locks it until the transaction ends), or
     * created at 1 by the first; two first creations race on the insert, and the loser runs again.
     */
    static long nextIid(Connection c, long projectId, String kind) throws SQLException {
        String key = projectId + ":" + kind;
        try (PreparedStatement s = c.prepareStatement(BUMP_IID)) {
            s.setString(1, key);
            if (s.executeUpdate() == 0) {
                try (PreparedStatement insert = c.prepareStatement(INSERT_IID)) {
                    insert.setString(1, key);
                    insert.executeUpdate();
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(SELECT_IID)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("the iid counter has no row for " + key);
                }
                return r.getLong(1);
            }
        }
    }

    private static RegistryException alreadyExists(String name) {
        return new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
    }

    Optional<Experiment> findExperiment(long projectId, long iid) throws IOException {
        return transactions.read(c -> one(c, SELECT_BY_IID, projectId, iid));
    }

    Optional<Experiment> findExperimentByName(long projectId, String name) throws IOException {
        return transactions.read(c -> one(c, SELECT_BY_NAME, projectId, name));
    }

    List<Experiment> listExperiments(long projectId) throws IOException {
        return transactions.read(c -> {
            List<Experiment> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT_OF_PROJECT)) {
                s.setLong(1, projectId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(experiment(r, List.of()));
                    }
                }
            }
            return out;
        });
    }

    Map<Long, List<Tag>> experimentTags(long projectId, java.util.Collection<Long> iids) throws IOException {
        if (iids.isEmpty()) {
            return Map.of();
        }
        return transactions.read(c -> {
            Map<Long, List<Tag>> tags = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_TAGS_OF_EXPERIMENTS))) {
                s.setLong(1, projectId);
                dialect.bindList(c, s, 2, "BIGINT", iids.stream().distinct().toList());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        tags.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(new Tag(r.getString(2), r.getString(3)));
                    }
                }
            }
            return tags;
        });
    }

    Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) throws IOException {
        return transactions.retried(c -> {
            if (deleted) {
                notModels(c, projectId, iid);
            }
            try (PreparedStatement s = c.prepareStatement(deleted ? SET_DELETED : SET_ACTIVE)) {
                int i = 1;
                if (deleted) {
                    s.setLong(i++, JdbcTimes.nanos(now));
                }
                s.setLong(i++, JdbcTimes.nanos(now));
                s.setLong(i++, projectId);
                s.setLong(i, iid);
                s.executeUpdate();
            }
            // MLflow's store deletes an experiment's runs with it, and restores them all with it
            try (PreparedStatement s = c.prepareStatement(deleted ? DELETE_RUNS : RESTORE_RUNS)) {
                int i = 1;
                if (deleted) {
                    s.setLong(i++, JdbcTimes.nanos(now));
                }
                s.setLong(i++, projectId);
                s.setLong(i, iid);
                s.executeUpdate();
            }
            return one(c, SELECT_BY_IID, projectId, iid);
        });
    }

    Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) throws IOException {
        return transactions.retried(c -> {
            Optional<Experiment> taken = one(c, SELECT_BY_NAME, projectId, newName);
            if (taken.isPresent() && taken.get().iid() != iid) {
                throw alreadyExists(newName);
            }
            notModels(c, projectId, iid);
            try (PreparedStatement s = c.prepareStatement(RENAME)) {
                s.setString(1, newName);
                s.setLong(2, JdbcTimes.nanos(now));
                s.setLong(3, projectId);
                s.setLong(4, iid);
                s.executeUpdate();
            }
            return one(c, SELECT_BY_IID, projectId, iid);
        });
    }

    /** Refuses to change a registered model's experiment, which goes and is named with its model. */
    private static void notModels(Connection c, long projectId, long iid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_MODEL_OF)) {
            s.setLong(1, projectId);
            s.setLong(2, iid);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    r.getLong(1);
                    if (!r.wasNull()) {
                        throw TrackingRefusals.modelExperiment();
                    }
                }
            }
        }
    }

    boolean setExperimentTag(long projectId, long iid, Tag tag, Instant now) throws IOException {
        return transactions.retried(c -> {
            Optional<Experiment> e = one(c, SELECT_BY_IID, projectId, iid);
            if (e.isEmpty()) {
                return false;
            }
            lock(c, e.get().id()); // concurrent settings of new keys count the tags one after the other
            boolean replaces = deleteTag(c, e.get().id(), tag.key());
            if (!replaces && count(c, e.get().id()) >= Tag.MAX_PER_ENTITY) {
                throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "at most " + Tag.MAX_PER_ENTITY + " tags");
            }
            insertTag(c, e.get().id(), tag);
            touch(c, e.get().id(), now);
            return true;
        });
    }

    boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) throws IOException {
        return transactions.retried(c -> {
            Optional<Experiment> e = one(c, SELECT_BY_IID, projectId, iid);
            if (e.isEmpty() || !deleteTag(c, e.get().id(), key)) {
                return false;
            }
            touch(c, e.get().id(), now);
            return true;
        });
    }

    private void lock(Connection c, long experimentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.sql(LOCK))) {
            s.setLong(1, experimentId);
            s.executeQuery().close();
        }
    }

    private static int count(Connection c, long experimentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(COUNT_TAGS)) {
            s.setLong(1, experimentId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static boolean deleteTag(Connection c, long experimentId, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(DELETE_TAG)) {
            s.setLong(1, experimentId);
            s.setString(2, key);
            return s.executeUpdate() > 0;
        }
    }

    private static void insertTag(Connection c, long experimentId, Tag t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_TAG)) {
            s.setLong(1, experimentId);
            s.setString(2, t.key());
            s.setString(3, t.value());
            s.executeUpdate();
        }
    }

    private static void touch(Connection c, long experimentId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TOUCH)) {
            s.setLong(1, JdbcTimes.nanos(now));
            s.setLong(2, experimentId);
            s.executeUpdate();
        }
    }

    /** The experiment {@code query} selects by project and one more parameter (an iid or a name), with its tags. */
    private static Optional<Experiment> one(Connection c, String query, long projectId, Object key) throws SQLException {
        Experiment found;
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, projectId);
            s.setObject(2, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                found = experiment(r, List.of());
            }
        }
        List<Tag> tags = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT_TAGS)) {
            s.setLong(1, found.id());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    tags.add(new Tag(r.getString(1), r.getString(2)));
                }
            }
        }
        return Optional.of(new Experiment(found.id(), found.projectId(), found.iid(), found.name(), tags, found.created(),
                found.updated(), found.deleted()));
    }

    private static Experiment experiment(ResultSet r, List<Tag> tags) throws SQLException {
        long deleted = r.getLong(7);
        Optional<Instant> deletedAt = r.wasNull() ? Optional.empty() : Optional.of(JdbcTimes.instant(deleted));
        return new Experiment(r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4), tags, JdbcTimes.instant(r.getLong(5)),
                JdbcTimes.instant(r.getLong(6)), deletedAt);
    }
}
