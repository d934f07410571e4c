package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.TrackingCatalog;
import org.mlregistry.core.spi.TrackingRefusals;
import org.mlregistry.core.util.BoundedCache;

/**
 * The runs of {@link JdbcModelCatalog} (migration V7): the run part of {@link TrackingCatalog}, each operation one
 * transaction. A batch locks its run's row first, so that batches to one run take turns (a param's first value and each
 * key's latest metric are decided under it); a run's {@code iid} comes from the project's counter
 * ({@link JdbcTracking#nextIid}). NaN metric values are stored as NULL.
 *
 * <p>Threading: safe for concurrent use.
 */
final class JdbcRuns {

    private static final String COLUMNS = "r.id, r.project_id, r.iid, r.run_uuid, e.iid, r.name, r.user_id, r.status, r.start_time, "
            + "r.end_time, r.deleted_at, r.model_version_id";
    private static final String SELECT_RUN = "SELECT " + COLUMNS + " FROM run r JOIN experiment e ON e.id = r.experiment_id "
            + "WHERE r.project_id = ? AND r.run_uuid = ?";
    private static final String SELECT_ID = "SELECT id FROM run WHERE project_id = ? AND run_uuid = ?";
    private static final String SELECT_RUNS_OF_EXPERIMENTS = "SELECT " + COLUMNS + " FROM run r JOIN experiment e ON e.id = r.experiment_id "
            + "WHERE r.project_id = ? AND e.iid = ANY (?) AND NOT EXISTS (SELECT 1 FROM logged_model lm WHERE lm.run_id = r.id) "
            + "ORDER BY r.iid";
    private static final String SELECT_LATEST_OF_RUNS = """
            SELECT run_id, metric_key, metric_value, logged_at, step FROM run_latest_metric WHERE run_id = ANY (?)
            ORDER BY run_id, metric_key""";
    private static final String SELECT_PARAMS_OF_RUNS = """
            SELECT run_id, param_key, param_value FROM run_param WHERE run_id = ANY (?) ORDER BY run_id, param_key""";
    private static final String SELECT_TAGS_OF_RUNS = """
            SELECT run_id, tag_key, tag_value FROM run_tag WHERE run_id = ANY (?) ORDER BY run_id, tag_key""";
    private static final String SELECT_UUID_BY_IID = "SELECT run_uuid FROM run WHERE project_id = ? AND iid = ?";
    private static final String SELECT_FILES_BY_IID = """
            SELECT id, model_version_id FROM run WHERE project_id = ? AND iid = ? AND deleted_at IS NULL""";
    /** Locks the experiment a run is made in: a deletion of its model, which locks it too, waits or is waited for. */
    private static final String SELECT_EXPERIMENT = "SELECT id FROM experiment WHERE project_id = ? AND iid = ? FOR UPDATE";
    private static final String INSERT_RUN = """
            INSERT INTO run (project_id, iid, run_uuid, experiment_id, name, user_id, status, start_time)
            VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?)""";
    private static final String INSERT_TAG = "INSERT INTO run_tag (run_id, tag_key, tag_value) VALUES (?, ?, ?)";
    private static final String DELETE_TAG = "DELETE FROM run_tag WHERE run_id = ? AND tag_key = ?";
    private static final String COUNT_TAGS = "SELECT COUNT(*) FROM run_tag WHERE run_id = ?";
    private static final String SELECT_TAGS = "SELECT tag_key, tag_value FROM run_tag WHERE run_id = ? ORDER BY tag_key";
    private static final String SELECT_PARAM = "SELECT param_value FROM run_param WHERE run_id = ? AND param_key = ?";
    private static final String INSERT_PARAM = "INSERT INTO run_param (run_id, param_key, param_value) VALUES (?, ?, ?)";
    private static final String SELECT_PARAMS = "SELECT param_key, param_value FROM run_param WHERE run_id = ? ORDER BY param_key";
    private static final String INSERT_METRIC = """
            INSERT INTO run_metric (run_id, metric_key, metric_value, logged_at, step) VALUES (?, ?, ?, ?, ?)""";
    private static final String SELECT_LATEST = """
            SELECT metric_key, metric_value, logged_at, step FROM run_latest_metric WHERE run_id = ? ORDER BY metric_key""";
    private static final String SELECT_LATEST_ONE = """
            SELECT metric_key, metric_value, logged_at, step FROM run_latest_metric WHERE run_id = ? AND metric_key = ?""";
    private static final String DELETE_LATEST = "DELETE FROM run_latest_metric WHERE run_id = ? AND metric_key = ?";
    private static final String INSERT_LATEST = """
            INSERT INTO run_latest_metric (run_id, metric_key, metric_value, logged_at, step) VALUES (?, ?, ?, ?, ?)""";
    private static final String HISTORY = """
            SELECT metric_key, metric_value, logged_at, step FROM run_metric WHERE run_id = ? AND metric_key = ? ORDER BY id
            LIMIT ? OFFSET ?""";
    // every sketch query reads up to one row id, the history's end when the sketch was asked for: each statement sees
    // its own snapshot (reads are not one transaction), and rows logged meanwhile belong to the next sketch
    private static final String SKETCH_RANGE = """
            SELECT COUNT(*), MIN(step), MAX(step) FROM run_metric WHERE run_id = ? AND metric_key = ? AND id <= ?""";
    // the history's last row, one look into the index (run_id, metric_key, id): whether a kept sketch still holds
    private static final String SKETCH_END = "SELECT MAX(id) FROM run_metric WHERE run_id = ? AND metric_key = ?";
    // the points logged since a kept sketch was made, through the same index
    private static final String SKETCH_AFTER = """
            SELECT metric_key, metric_value, logged_at, step FROM run_metric WHERE run_id = ? AND metric_key = ? AND id > ?
            AND id <= ? ORDER BY id LIMIT ?""";
    /** The most new points added to a kept sketch; more, and the history is sketched anew. */
    static final int SKETCH_INCREMENT = 10_000;
    // one row per column of the chart: the database reduces the history, whatever its length, to what is drawn
    private static final String SKETCH = """
            SELECT col, MIN(step), MIN(metric_value), MAX(metric_value) FROM (
              SELECT (step - ?) / ? AS col, step, metric_value FROM run_metric
              WHERE run_id = ? AND metric_key = ? AND id <= ? AND step BETWEEN ? AND ? AND metric_value IS NOT NULL
              AND metric_value <= ? AND metric_value >= ?
            ) cut GROUP BY col ORDER BY col""";
    private static final String LOCK = "SELECT id FROM run WHERE id = ? FOR UPDATE";
    private static final String UPDATE = "UPDATE run SET status = ?, end_time = ?, name = ? WHERE id = ?";
    private static final String SET_DELETED = "UPDATE run SET deleted_at = COALESCE(deleted_at, ?) WHERE id = ?";
    private static final String SET_ACTIVE = "UPDATE run SET deleted_at = NULL WHERE id = ?";

    private final Transactions transactions;
    private final Dialect dialect;

    JdbcRuns(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId, long startTime,
                            List<Tag> tags, Instant now) throws IOException {
        return transactions.retried(c -> insertRun(c, projectId, experimentIid, runId, name, userId, startTime, tags).isEmpty()
                ? Optional.<Run>empty() : find(c, projectId, runId));
    }

    /** Inserts a running run of its own with its tags, in the caller's transaction: its id; empty when no such experiment. */
    static Optional<Long> insertRun(Connection c, long projectId, long experimentIid, String runId, String name, String userId,
                                    long startTime, List<Tag> tags) throws SQLException {
        Long experiment = null;
        try (PreparedStatement s = c.prepareStatement(Dialect.of(c).sql(SELECT_EXPERIMENT))) {
            s.setLong(1, projectId);
            s.setLong(2, experimentIid);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    experiment = r.getLong(1);
                }
            }
        }
        if (experiment == null) {
            return Optional.empty();
        }
        long iid = JdbcTracking.nextIid(c, projectId, "run");
        long id;
        try (PreparedStatement s = c.prepareStatement(INSERT_RUN, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, projectId);
            s.setLong(2, iid);
            s.setString(3, runId);
            s.setLong(4, experiment);
            s.setString(5, name);
            s.setString(6, userId);
            s.setLong(7, startTime);
            s.executeUpdate();
            id = JdbcModelCatalog.generatedId(s);
        }
        JdbcManifests.versionCreated(c, Run.manifestKey(id));
        for (Tag t : byKey(tags)) {
            setTag(c, id, t);
        }
        return Optional.of(id);
    }

    Optional<Run> findRun(long projectId, String runId) throws IOException {
        return transactions.read(c -> find(c, projectId, runId));
    }

    List<Run> listRuns(long projectId, java.util.Collection<Long> experimentIids) throws IOException {
        if (experimentIids.isEmpty()) {
            return List.of();
        }
        return transactions.read(c -> {
            record Row(long id, long iid, String runId, long experimentIid, String name, String user, String status, long start,
                       Optional<Long> end, Optional<Instant> deleted, Optional<Long> versionId) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_RUNS_OF_EXPERIMENTS))) {
                s.setLong(1, projectId);
                dialect.bindList(c, s, 2, "BIGINT", experimentIids.stream().distinct().toList());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        long e = r.getLong(10);
                        Optional<Long> end = r.wasNull() ? Optional.empty() : Optional.of(e);
                        long d = r.getLong(11);
                        Optional<Instant> deleted = r.wasNull() ? Optional.empty() : Optional.of(JdbcTimes.instant(d));
                        rows.add(new Row(r.getLong(1), r.getLong(3), r.getString(4), r.getLong(5), r.getString(6), r.getString(7),
                                r.getString(8), r.getLong(9), end, deleted, versionOf(r)));
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.<Run>of();
            }
            List<Long> ids = rows.stream().map(Row::id).toList();
            Map<Long, List<Metric>> metrics = new java.util.HashMap<>();
            Map<Long, List<Param>> params = new java.util.HashMap<>();
            Map<Long, List<Tag>> tags = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_LATEST_OF_RUNS))) {
                dialect.bindList(c, s, 1, "BIGINT", ids);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        double v = r.getDouble(3);
                        boolean nan = r.wasNull();
                        metrics.computeIfAbsent(r.getLong(1), k -> new ArrayList<>())
                                .add(new Metric(r.getString(2), nan ? Double.NaN : v, r.getLong(4), r.getLong(5)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_PARAMS_OF_RUNS))) {
                dialect.bindList(c, s, 1, "BIGINT", ids);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        params.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(new Param(r.getString(2), r.getString(3)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_TAGS_OF_RUNS))) {
                dialect.bindList(c, s, 1, "BIGINT", ids);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        tags.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(new Tag(r.getString(2), r.getString(3)));
                    }
                }
            }
            List<Run> out = new ArrayList<>();
            for (Row w : rows) {
                out.add(new Run(w.id(), projectId, w.iid(), w.runId(), w.experimentIid(), w.name(), w.user(), w.status(), w.start(),
                        w.end(), w.deleted(), metrics.getOrDefault(w.id(), List.of()), params.getOrDefault(w.id(), List.of()),
                        tags.getOrDefault(w.id(), List.of()), w.versionId()));
            }
            return out;
        });
    }

    Optional<Run> findRunByIid(long projectId, long iid) throws IOException {
        return transactions.read(c -> {
            String runId;
            try (PreparedStatement s = c.prepareStatement(SELECT_UUID_BY_IID)) {
                s.setLong(1, projectId);
                s.setLong(2, iid);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Run>empty();
                    }
                    runId = r.getString(1);
                }
            }
            return find(c, projectId, runId);
        });
    }

    Optional<Run> updateRun(long projectId, String runId, TrackingCatalog.RunUpdate update) throws IOException {
        return transactions.retried(c -> {
            Optional<Run> r = find(c, projectId, runId);
            if (r.isEmpty()) {
                return r;
            }
            try (PreparedStatement s = c.prepareStatement(UPDATE)) {
                s.setString(1, update.status());
                Optional<Long> end = update.endTime().or(() -> r.get().endTime());
                if (end.isPresent()) {
                    s.setLong(2, end.get());
                } else {
                    s.setNull(2, Types.BIGINT);
                }
                s.setString(3, update.name().orElse(r.get().name()));
                s.setLong(4, r.get().id());
                s.executeUpdate();
            }
            return find(c, projectId, runId);
        });
    }

    Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) throws IOException {
        return transactions.retried(c -> {
            Optional<Run> r = find(c, projectId, runId);
            if (r.isEmpty()) {
                return r;
            }
            try (PreparedStatement s = c.prepareStatement(deleted ? SET_DELETED : SET_ACTIVE)) {
                int i = 1;
                if (deleted) {
                    s.setLong(i++, JdbcTimes.nanos(now));
                }
                s.setLong(i, r.get().id());
                s.executeUpdate();
            }
            return find(c, projectId, runId);
        });
    }

    boolean logBatch(long projectId, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) throws IOException {
        return transactions.retried(c -> {
            Optional<Long> found = id(c, projectId, runId);
            if (found.isEmpty()) {
                return false;
            }
            long id = found.get();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(LOCK))) {
                s.setLong(1, id);
                s.executeQuery().close();
            }
            for (Param p : params) {
                Optional<String> old = param(c, id, p.key());
                if (old.isPresent() && !old.get().equals(p.value())) {
                    throw TrackingRefusals.paramChanged(runId, new Param(p.key(), old.get()), p);
                }
                if (old.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(INSERT_PARAM)) {
                        s.setLong(1, id);
                        s.setString(2, p.key());
                        s.setString(3, p.value());
                        s.executeUpdate();
                    }
                }
            }
            for (Tag t : byKey(tags)) {
                setTag(c, id, t);
            }
            if (!tags.isEmpty() && count(c, COUNT_TAGS, id) > TrackingRefusals.MAX_RUN_TAGS) {
                throw TrackingRefusals.tooManyTags();
            }
            if (!metrics.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(INSERT_METRIC)) {
                    for (Metric m : metrics) {
                        bindMetric(s, id, m);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                Map<String, Metric> newest = new TreeMap<>();
                for (Metric m : metrics) {
                    newest.merge(m.key(), m, (a, b) -> Metric.newer(b, a) ? b : a);
                }
                for (Metric m : newest.values()) {
                    Optional<Metric> kept = latest(c, id, m.key());
                    if (kept.isEmpty() || Metric.newer(m, kept.get())) {
                        try (PreparedStatement s = c.prepareStatement(DELETE_LATEST)) {
                            s.setLong(1, id);
                            s.setString(2, m.key());
                            s.executeUpdate();
                        }
                        try (PreparedStatement s = c.prepareStatement(INSERT_LATEST)) {
                            bindMetric(s, id, m);
                            s.executeUpdate();
                        }
                    }
                }
            }
            return true;
        });
    }

    boolean deleteRunTag(long projectId, String runId, String key) throws IOException {
        return transactions.retried(c -> {
            Optional<Long> r = id(c, projectId, runId);
            if (r.isEmpty()) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(DELETE_TAG)) {
                s.setLong(1, r.get());
                s.setString(2, key);
                return s.executeUpdate() > 0;
            }
        });
    }

    List<Metric> metricHistory(long projectId, String runId, String key, int offset, int limit) throws IOException {
        return transactions.read(c -> {
            Optional<Long> r = id(c, projectId, runId);
            List<Metric> out = new ArrayList<>();
            if (r.isEmpty()) {
                return out;
            }
            try (PreparedStatement s = c.prepareStatement(HISTORY)) {
                s.setLong(1, r.get());
                s.setString(2, key);
                s.setInt(3, limit);
                s.setInt(4, offset);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(metric(rs));
                    }
                }
            }
            return out;
        });
    }

    /** A kept sketch: of the history that ended at row {@code end}, in {@code columns} columns, made at {@code madeNanos}. */
    private record Sketched(long end, int columns, MetricSketch sketch, long madeNanos) {
    }

    /** How long a kept sketch is used at most, even while its history still ends at the same row. */
    static final long SKETCH_LIFETIME_NANOS = 30_000_000_000L;

    /** A run's metric, by the run's row id. */
    private record SketchKey(long run, String key) {
    }

    /**
     * Sketches already made, by run and metric. Invalidation: one is used as it is only while the history still ends at
     * the row it was made to (a row logged since, by any node, has a higher id; rows leave only with their run, whose
     * row id is never reused), checked against the database on every read; rows logged since are added to it; and it is
     * made anew from the whole history after {@link #SKETCH_LIFETIME_NANOS}: where writers run concurrently
     * (PostgreSQL, H2) a batch can commit after a later one with lower ids, and its points then show within that time.
     * Bounded: when full it starts afresh, as every {@link BoundedCache} does.
     */
    private final BoundedCache<SketchKey, Sketched> sketches = new BoundedCache<>(1024);

    MetricSketch metricSketch(long projectId, String runId, String key, int columns) throws IOException {
        return transactions.read(c -> {
            Optional<Long> r = id(c, projectId, runId);
            if (r.isEmpty()) {
                return new MetricSketch(key, 0, 0, 0, List.of());
            }
            long end;
            try (PreparedStatement s = c.prepareStatement(SKETCH_END)) {
                s.setLong(1, r.get());
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    end = rs.getLong(1);
                }
            }
            SketchKey cacheKey = new SketchKey(r.get(), key);
            Sketched kept = sketches.get(cacheKey);
            long now = System.nanoTime(); // an age, not a time of day: no clock of the registry's
            if (kept != null && kept.columns() == columns && now - kept.madeNanos() < SKETCH_LIFETIME_NANOS && kept.end() <= end) {
                if (kept.end() == end) {
                    return kept.sketch();
                }
                // a run being logged to: its new points join the kept columns, the history is not read again
                List<Metric> more = after(c, r.get(), key, kept.end(), end);
                Optional<MetricSketch> grown = more.size() > SKETCH_INCREMENT ? Optional.empty() : kept.sketch().plus(more, columns);
                if (grown.isPresent()) {
                    sketches.put(cacheKey, new Sketched(end, columns, grown.get(), kept.madeNanos()));
                    return grown.get();
                }
            }
            MetricSketch made = sketch(c, r.get(), key, columns, end);
            sketches.put(cacheKey, new Sketched(end, columns, made, now));
            return made;
        });
    }

    private static List<Metric> after(Connection c, long run, String key, long afterId, long end) throws SQLException {
        List<Metric> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SKETCH_AFTER)) {
            s.setLong(1, run);
            s.setString(2, key);
            s.setLong(3, afterId);
            s.setLong(4, end);
            s.setInt(5, SKETCH_INCREMENT + 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(metric(rs));
                }
            }
        }
        return out;
    }

    /** The sketch made by the database: the history's range, then one grouped query. */
    private static MetricSketch sketch(Connection c, long run, String key, int columns, long end) throws SQLException {
        long points;
        long first;
        long last;
        try (PreparedStatement s = c.prepareStatement(SKETCH_RANGE)) {
            s.setLong(1, run);
            s.setString(2, key);
            s.setLong(3, end);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                points = rs.getLong(1);
                first = rs.getLong(2);
                last = rs.getLong(3);
            }
        }
        if (points == 0) {
            return new MetricSketch(key, 0, 0, 0, List.of());
        }
        if (last - first < 0) {
            return new MetricSketch(key, points, first, last, List.of()); // steps beyond a long's range apart: nothing to draw
        }
        long span = MetricSketch.span(first, last, columns);
        List<MetricSketch.Column> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SKETCH)) {
            s.setLong(1, first);
            s.setLong(2, span);
            s.setLong(3, run);
            s.setString(4, key);
            s.setLong(5, end);
            // where writers run concurrently a row below the end can commit between the two queries: outside the range
            // (where step - first could even overflow), it waits for the next sketch rather than land outside the chart
            s.setLong(6, first);
            s.setLong(7, last);
            s.setDouble(8, Double.MAX_VALUE); // infinities are left out of the chart, as from the sketch made in memory
            s.setDouble(9, -Double.MAX_VALUE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new MetricSketch.Column(rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
                }
            }
        }
        return new MetricSketch(key, points, first, last, out);
    }

    private static List<Tag> byKey(List<Tag> tags) {
        Map<String, Tag> byKey = new TreeMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        return List.copyOf(byKey.values());
    }

    private static void setTag(Connection c, long runId, Tag t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(DELETE_TAG)) {
            s.setLong(1, runId);
            s.setString(2, t.key());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_TAG)) {
            s.setLong(1, runId);
            s.setString(2, t.key());
            s.setString(3, t.value());
            s.executeUpdate();
        }
    }

    private static Optional<String> param(Connection c, long runId, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_PARAM)) {
            s.setLong(1, runId);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Metric> latest(Connection c, long runId, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_LATEST_ONE)) {
            s.setLong(1, runId);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(metric(r)) : Optional.empty();
            }
        }
    }

    private static int count(Connection c, String query, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, runId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void bindMetric(PreparedStatement s, long runId, Metric m) throws SQLException {
        s.setLong(1, runId);
        s.setString(2, m.key());
        if (Double.isNaN(m.value())) {
            s.setNull(3, Types.DOUBLE);
        } else {
            s.setDouble(3, m.value());
        }
        s.setLong(4, m.timestamp());
        s.setLong(5, m.step());
    }

    private static Metric metric(ResultSet r) throws SQLException {
        double v = r.getDouble(2);
        boolean nan = r.wasNull(); // before any other column is read
        return new Metric(r.getString(1), nan ? Double.NaN : v, r.getLong(3), r.getLong(4));
    }

    /** The run's row id, without reading what it holds. */
    private static Optional<Long> id(Connection c, long projectId, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_ID)) {
            s.setLong(1, projectId);
            s.setString(2, runId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The project's run with this {@code run_id}, with its latest metrics, params and tags, in the caller's transaction. */
    static Optional<Run> find(Connection c, long projectId, String runId) throws SQLException {
        long id;
        long iid;
        long experimentIid;
        String name;
        String user;
        String status;
        long start;
        Optional<Long> end;
        Optional<Instant> deleted;
        Optional<Long> versionId;
        try (PreparedStatement s = c.prepareStatement(SELECT_RUN)) {
            s.setLong(1, projectId);
            s.setString(2, runId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                id = r.getLong(1);
                iid = r.getLong(3);
                experimentIid = r.getLong(5);
                name = r.getString(6);
                user = r.getString(7);
                status = r.getString(8);
                start = r.getLong(9);
                long e = r.getLong(10);
                end = r.wasNull() ? Optional.empty() : Optional.of(e);
                long d = r.getLong(11);
                deleted = r.wasNull() ? Optional.empty() : Optional.of(JdbcTimes.instant(d));
                versionId = versionOf(r);
            }
        }
        List<Metric> metrics = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT_LATEST)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    metrics.add(metric(r));
                }
            }
        }
        List<Param> params = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT_PARAMS)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    params.add(new Param(r.getString(1), r.getString(2)));
                }
            }
        }
        List<Tag> tags = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT_TAGS)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    tags.add(new Tag(r.getString(1), r.getString(2)));
                }
            }
        }
        return Optional.of(new Run(id, projectId, iid, runId, experimentIid, name, user, status, start, end, deleted, metrics,
                params, tags, versionId));
    }

    /** The model version of the run in the row (column 12), if it is a version's. */
    private static Optional<Long> versionOf(ResultSet r) throws SQLException {
        long v = r.getLong(12);
        return r.wasNull() ? Optional.empty() : Optional.of(v);
    }

    /** {@link org.mlregistry.core.spi.TrackingCatalog#runFiles}: one indexed read. */
    Optional<Long> runFiles(long projectId, long iid) throws IOException {
        return transactions.read(c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT_FILES_BY_IID)) {
                s.setLong(1, projectId);
                s.setLong(2, iid);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Long>empty();
                    }
                    long id = r.getLong(1);
                    long version = r.getLong(2);
                    return Optional.of(r.wasNull() ? Run.manifestKey(id) : version);
                }
            }
        });
    }
}
