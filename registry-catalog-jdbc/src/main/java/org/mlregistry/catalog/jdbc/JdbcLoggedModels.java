package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.Tag;

/**
 * The MLflow 3 logged models of {@link JdbcModelCatalog} (migration V10): a {@code logged_model} row beside the run of
 * its own that keeps its files, params and tags ({@link JdbcRuns#insertRun}), made in one transaction.
 *
 * <p>Threading: safe for concurrent use.
 */
final class JdbcLoggedModels {

    private static final String INSERT = """
            INSERT INTO logged_model (project_id, model_key, run_id, source_run, model_type, status)
            VALUES (?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING')""";
    private static final String INSERT_PARAM = "INSERT INTO run_param (run_id, param_key, param_value) VALUES (?, ?, ?)";
    private static final String COLUMNS = "SELECT lm.model_key, lm.source_run, lm.model_type, lm.status, r.run_uuid FROM logged_model lm "
            + "JOIN run r ON r.id = lm.run_id ";
    private static final String SELECT = COLUMNS + "WHERE lm.project_id = ? AND lm.model_key = ?";
    private static final String SELECT_OF_EXPERIMENTS = COLUMNS + "JOIN experiment e ON e.id = r.experiment_id "
            + "WHERE lm.project_id = ? AND e.iid = ANY (?) ORDER BY r.id";
    private static final String SET_STATUS = "UPDATE logged_model SET status = ? WHERE project_id = ? AND model_key = ?";
    private static final String TOUCH_RUN = """
            UPDATE run SET end_time = ? WHERE id = (SELECT run_id FROM logged_model WHERE project_id = ? AND model_key = ?)""";
    private static final String KEEPS = "SELECT 1 FROM logged_model WHERE run_id = ?";
    private static final String OF_RUN = """
            SELECT lm.model_key FROM logged_model lm JOIN run r ON r.id = lm.run_id
            WHERE lm.project_id = ? AND lm.source_run = ? AND r.deleted_at IS NULL ORDER BY lm.id""";

    private final Transactions transactions;
    private final Dialect dialect;

    JdbcLoggedModels(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    Optional<LoggedModel> create(long projectId, long experimentIid, String modelId, String name, String sourceRunId, String modelType,
                                 List<Param> params, List<Tag> tags, Instant now) throws IOException {
        return transactions.retried(c -> {
            Optional<Long> run = JdbcRuns.insertRun(c, projectId, experimentIid, Run.newRunId(), name, "", now.toEpochMilli(), tags);
            if (run.isEmpty()) {
                return Optional.<LoggedModel>empty();
            }
            Map<String, Param> byKey = new TreeMap<>();
            params.forEach(p -> byKey.put(p.key(), p));
            try (PreparedStatement s = c.prepareStatement(INSERT_PARAM)) {
                for (Param p : byKey.values()) {
                    s.setLong(1, run.get());
                    s.setString(2, p.key());
                    s.setString(3, p.value());
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                s.setLong(1, projectId);
                s.setString(2, modelId);
                s.setLong(3, run.get());
                s.setString(4, sourceRunId);
                s.setString(5, modelType);
                s.executeUpdate();
            }
            return find(c, projectId, modelId);
        });
    }

    Optional<LoggedModel> find(long projectId, String modelId) throws IOException {
        return transactions.read(c -> find(c, projectId, modelId));
    }

    List<LoggedModel> list(long projectId, Collection<Long> experimentIids) throws IOException {
        if (experimentIids.isEmpty()) {
            return List.of();
        }
        return transactions.read(c -> {
            List<LoggedModel> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_OF_EXPERIMENTS))) {
                s.setLong(1, projectId);
                dialect.bindList(c, s, 2, "BIGINT", experimentIids.stream().distinct().toList());
                List<String[]> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)});
                    }
                }
                for (String[] row : rows) {
                    JdbcRuns.find(c, projectId, row[4]).ifPresent(run -> out.add(new LoggedModel(row[0], run, row[1], row[2], row[3])));
                }
            }
            return out;
        });
    }

    /** {@link org.mlregistry.core.spi.TrackingCatalog#loggedModelsOf}: one indexed query. */
    List<String> of(long projectId, String runId) throws IOException {
        return transactions.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(OF_RUN)) {
                s.setLong(1, projectId);
                s.setString(2, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
    }

    Optional<LoggedModel> setStatus(long projectId, String modelId, String status, Instant now) throws IOException {
        return transactions.retried(c -> {
            try (PreparedStatement s = c.prepareStatement(SET_STATUS)) {
                s.setString(1, status);
                s.setLong(2, projectId);
                s.setString(3, modelId);
                if (s.executeUpdate() == 0) {
                    return Optional.<LoggedModel>empty();
                }
            }
            try (PreparedStatement s = c.prepareStatement(TOUCH_RUN)) {
                s.setLong(1, now.toEpochMilli());
                s.setLong(2, projectId);
                s.setString(3, modelId);
                s.executeUpdate();
            }
            return find(c, projectId, modelId);
        });
    }

    /** Whether the run keeps a logged model's files, in the caller's transaction: it lends them rather than becoming a version's. */
    static boolean keepsALoggedModel(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(KEEPS)) {
            s.setLong(1, runId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static Optional<LoggedModel> find(Connection c, long projectId, String modelId) throws SQLException {
        String[] row;
        try (PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setLong(1, projectId);
            s.setString(2, modelId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                row = new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)};
            }
        }
        return JdbcRuns.find(c, projectId, row[4]).map(run -> new LoggedModel(row[0], run, row[1], row[2], row[3]));
    }
}
