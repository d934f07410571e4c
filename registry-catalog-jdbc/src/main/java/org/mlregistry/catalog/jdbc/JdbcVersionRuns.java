package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.spi.TrackingRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of models and versions in {@link JdbcModelCatalog} (migration V9), each step in the caller's transaction: a
 * model's experiment {@code [model]<name>} made with the model, a version's run made with the version, what deleting
 * either takes with it (manifests, which no reference cascades to), and promoting a run's files to a version. Models and
 * versions made before V9 get theirs from {@link #backfill}, run as the catalog opens.
 *
 * <p>Threading: stateless; safe for concurrent use.
 */
final class JdbcVersionRuns {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcVersionRuns.class);
    private static final int PAGE = 500;

    private static final String MODEL_EXPERIMENT = "SELECT id FROM experiment WHERE model_id = ?";
    /** An experiment of the name other than the model's own. */
    private static final String NAMED = "SELECT id FROM experiment WHERE project_id = ? AND name = ? AND (model_id IS NULL OR model_id <> ?)";
    private static final String INSERT_EXPERIMENT = """
            INSERT INTO experiment (project_id, iid, name, created_at, updated_at, model_id) VALUES (?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_RUN = """
            INSERT INTO run (project_id, iid, run_uuid, experiment_id, name, user_id, status, start_time, end_time, model_version_id)
            VALUES (?, ?, ?, ?, ?, '', 'FINISHED', ?, ?, ?)""";
    private static final String RENAME = "UPDATE experiment SET name = ?, updated_at = ? WHERE model_id = ?";
    private static final String OWN_RUNS_OF_MODEL = """
            SELECT id FROM run WHERE model_version_id IS NULL
            AND experiment_id IN (SELECT id FROM experiment WHERE model_id = ?) FOR UPDATE""";
    private static final String PURGEABLE = """
            SELECT e.id FROM experiment e WHERE e.deleted_at IS NOT NULL AND e.deleted_at < ? AND e.model_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM run r WHERE r.experiment_id = e.id AND r.model_version_id IS NOT NULL)
            ORDER BY e.id FETCH FIRST 1 ROWS ONLY""";
    /** The experiment, locked, if it is still to be purged once locked (a restore may have come first). */
    private static final String LOCK_PURGEABLE = """
            SELECT id FROM experiment WHERE id = ? AND deleted_at IS NOT NULL AND deleted_at < ? FOR UPDATE""";
    private static final String RUNS_OF_EXPERIMENT = "SELECT id FROM run WHERE experiment_id = ?";
    private static final String DELETE_EXPERIMENT = "DELETE FROM experiment WHERE id = ?";
    private static final String LOCK_MODEL_EXPERIMENT = "SELECT id FROM experiment WHERE model_id = ? FOR UPDATE";
    private static final String VERSIONS_OF_MODEL = "SELECT id FROM model_version WHERE model_id = ? ORDER BY id FOR UPDATE";
    private static final String PROMOTED_TO = """
            SELECT r.id FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN model_version v ON v.id = r.model_version_id
            WHERE r.model_version_id = ? AND (e.model_id IS NULL OR e.model_id <> v.model_id)""";
    private static final String UNLINK = "UPDATE run SET model_version_id = NULL WHERE id = ?";
    private static final String LOCK_RUN = "SELECT id, model_version_id, deleted_at FROM run WHERE project_id = ? AND run_uuid = ? FOR UPDATE";
    /** Whether the run is of another model's experiment than the version's: it goes with that model, so it only lends. */
    private static final String OF_ANOTHER_MODEL = """
            SELECT 1 FROM run r JOIN experiment e ON e.id = r.experiment_id JOIN model_version v ON v.id = ?
            WHERE r.id = ? AND e.model_id IS NOT NULL AND e.model_id <> v.model_id""";
    private static final String DELETE_VERSION_RUN = "DELETE FROM run WHERE model_version_id = ?";
    private static final String LINK = "UPDATE run SET model_version_id = ? WHERE id = ?";
    private static final String SET_SOURCE = "UPDATE model_version SET source_path = ?, updated_at = ? WHERE id = ?";
    private static final String MODELS_WITHOUT_EXPERIMENT = """
            SELECT m.id, m.project_id, m.name FROM registered_model m
            WHERE NOT EXISTS (SELECT 1 FROM experiment e WHERE e.model_id = m.id) ORDER BY m.id FETCH FIRST ? ROWS ONLY""";
    private static final String VERSIONS_WITHOUT_RUN = """
            SELECT v.id, v.project_id, v.model_id, m.name, v.semver, v.created_at FROM model_version v
            JOIN registered_model m ON m.id = v.model_id
            WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.model_version_id = v.id) ORDER BY v.id FETCH FIRST ? ROWS ONLY""";

    private JdbcVersionRuns() {
    }

    /**
     * The id of the model's experiment, made when it has none, named by {@link Experiment#ofModel}: an experiment someone
     * made under that name stays theirs, and the model's takes the name with its id.
     */
    static long modelExperiment(Connection c, long projectId, long modelId, ModelName model, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MODEL_EXPERIMENT)) {
            s.setLong(1, modelId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return r.getLong(1);
                }
            }
        }
        String name = freeName(c, projectId, model, modelId);
        long iid = JdbcTracking.nextIid(c, projectId, "experiment");
        try (PreparedStatement s = c.prepareStatement(INSERT_EXPERIMENT, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, projectId);
            s.setLong(2, iid);
            s.setString(3, name);
            s.setLong(4, JdbcTimes.nanos(now));
            s.setLong(5, JdbcTimes.nanos(now));
            s.setLong(6, modelId);
            s.executeUpdate();
            return JdbcModelCatalog.generatedId(s);
        }
    }

    /** A finished run for the version just made, in its model's experiment, named as the version: its {@code run_id}. */
    static String versionRun(Connection c, long projectId, long modelId, ModelName model, long versionId, String name, Instant now)
            throws SQLException {
        long experiment = modelExperiment(c, projectId, modelId, model, now);
        long iid = JdbcTracking.nextIid(c, projectId, "run");
        String runId = Run.newRunId();
        long millis = now.toEpochMilli();
        try (PreparedStatement s = c.prepareStatement(INSERT_RUN)) {
            s.setLong(1, projectId);
            s.setLong(2, iid);
            s.setString(3, runId);
            s.setLong(4, experiment);
            s.setString(5, name);
            s.setLong(6, millis);
            s.setLong(7, millis);
            s.setLong(8, versionId);
            s.executeUpdate();
        }
        return runId;
    }

    /** Renames the model's experiment with the model, where the new name is free in the project. */
    static void modelRenamed(Connection c, long projectId, long modelId, ModelName newName, Instant now) throws SQLException {
        String name = freeName(c, projectId, newName, modelId);
        try (PreparedStatement s = c.prepareStatement(RENAME)) {
            s.setString(1, name);
            s.setLong(2, JdbcTimes.nanos(now));
            s.setLong(3, modelId);
            s.executeUpdate();
        }
    }

    /**
     * Before the model's row goes (its deletion cascades to its versions, its experiment and that experiment's runs):
     * each version as {@link #versionDeleting}, then the manifests of its experiment's runs of their own, no reference
     * cascading to a manifest. The rows are locked first, so that an upload into one either commits before its manifest
     * goes or finds it gone.
     */
    static void modelDeleting(Connection c, Dialect dialect, JdbcManifests manifests, long modelId, Instant now) throws SQLException {
        for (long version : ids(c, dialect.sql(VERSIONS_OF_MODEL), modelId)) {
            versionDeleting(c, manifests, version, now);
        }
        ids(c, dialect.sql(LOCK_MODEL_EXPERIMENT), modelId); // a run being made in it commits first, or finds it gone
        for (long run : ids(c, dialect.sql(OWN_RUNS_OF_MODEL), modelId)) {
            JdbcManifests.forget(c, Run.manifestKey(run));
        }
    }

    /**
     * Before the version's row goes, its row locked: a training run promoted to it (of another experiment than its
     * model's, which MLflow never deletes with a version) goes back to being a run of its own, the version's files its
     * own again (rows, not bytes); the version's manifest goes. Its other runs go by the reference's cascade.
     */
    static void versionDeleting(Connection c, JdbcManifests manifests, long versionId, Instant now) throws SQLException {
        for (long run : ids(c, PROMOTED_TO, versionId)) {
            update(c, UNLINK, run);
            manifests.copyCurrent(c, versionId, Run.manifestKey(run), now);
        }
        JdbcManifests.forget(c, versionId);
    }

    /**
     * {@link org.mlregistry.core.spi.TrackingCatalog#promoteRun}, the version locked and checked by the caller: the run's
     * files into the version's manifest, and the run linked to it when it is a run of its own.
     *
     * @return the version's {@code run_id} now
     */
    static String promote(Connection c, Dialect dialect, JdbcManifests manifests, long projectId, String runId, long versionId,
                          String versionRun, String sourcePath, Instant now) throws SQLException {
        long id;
        Long linked;
        try (PreparedStatement s = c.prepareStatement(dialect.sql(LOCK_RUN))) {
            s.setLong(1, projectId);
            s.setString(2, runId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw TrackingRefusals.runNotFound(runId);
                }
                id = r.getLong(1);
                long v = r.getLong(2);
                linked = r.wasNull() ? null : v;
                r.getLong(3);
                if (!r.wasNull()) {
                    throw TrackingRefusals.runDeleted(runId);
                }
            }
        }
        if (JdbcManifests.hasFiles(c, versionId)) {
            throw TrackingRefusals.versionHasFiles(versionId);
        }
        String runOfVersion = versionRun;
        if (linked != null) {
            manifests.copyCurrent(c, linked, versionId, now);
        } else if (JdbcLoggedModels.keepsALoggedModel(c, id) || !ids(c, OF_ANOTHER_MODEL, versionId, id).isEmpty()) {
            manifests.copyCurrent(c, Run.manifestKey(id), versionId, now);
        } else {
            manifests.copyCurrent(c, Run.manifestKey(id), versionId, now);
            JdbcManifests.forget(c, Run.manifestKey(id));
            update(c, DELETE_VERSION_RUN, versionId);
            update(c, LINK, versionId, id);
            runOfVersion = runId;
        }
        try (PreparedStatement s = c.prepareStatement(SET_SOURCE)) {
            s.setString(1, sourcePath);
            s.setLong(2, JdbcTimes.nanos(now));
            s.setLong(3, versionId);
            s.executeUpdate();
        }
        return runOfVersion;
    }

    /**
     * Gives the models and versions made before migration V9 their experiments and runs, a page at a time, each page one
     * transaction. Several processes opening the catalog at once race on the unique indexes; a page that loses is read
     * again and finds the winner's work done.
     */
    static void backfill(Transactions transactions, Dialect dialect) throws IOException {
        int made = 0;
        int failures = 0;
        while (true) {
            int page;
            try {
                page = backfillPage(transactions, dialect);
            } catch (IOException e) {
                // another node deleted a model or version this page was giving a run (a reference gone): read it again
                if (++failures > 5) {
                    throw e;
                }
                LOG.warn("catalog: giving models and versions their runs failed (attempt {} of 6), reading the page again: {}",
                        failures, String.valueOf(e.getMessage()));
                continue;
            }
            if (page == 0) {
                break;
            }
            made += page;
        }
        if (made > 0) {
            LOG.info("catalog: {} models and versions made before runs were kept were given their experiments and runs", made);
        }
    }

    /** One page of {@link #backfill}, in one transaction: how many models and versions it gave experiments and runs. */
    private static int backfillPage(Transactions transactions, Dialect dialect) throws IOException {
        return transactions.retried(c -> {
            record Model(long id, long projectId, String name) {
            }
            record Version(long id, long projectId, long modelId, String model, String semver, long created) {
            }
            List<Model> models = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(MODELS_WITHOUT_EXPERIMENT))) {
                s.setInt(1, PAGE);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        models.add(new Model(r.getLong(1), r.getLong(2), r.getString(3)));
                    }
                }
            }
            Instant now = Instant.now();
            for (Model m : models) {
                modelExperiment(c, m.projectId(), m.id(), new ModelName(m.name()), now);
            }
            List<Version> versions = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(VERSIONS_WITHOUT_RUN))) {
                s.setInt(1, PAGE);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        versions.add(new Version(r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4), r.getString(5),
                                r.getLong(6)));
                    }
                }
            }
            for (Version v : versions) {
                versionRun(c, v.projectId(), v.modelId(), new ModelName(v.model()), v.id(), v.semver(), JdbcTimes.instant(v.created()));
            }
            return models.size() + versions.size();
        });
    }

    /** The first of the model's experiment names ({@link Experiment#ofModel}) no experiment of the project has. */
    private static String freeName(Connection c, long projectId, ModelName model, long modelId) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            String name = Experiment.ofModel(model, modelId, attempt);
            if (!named(c, projectId, name, modelId)) {
                return name;
            }
        }
    }

    /**
     * {@link org.mlregistry.core.spi.TrackingCatalog#purgeExperiments}: an experiment at a time, each in a transaction that
     * locks it (a run being made in it waits, then finds it gone) and forgets its runs' manifests before the row goes.
     */
    static int purgeExperiments(Transactions transactions, Dialect dialect, Instant deletedBefore) throws IOException {
        int purged = 0;
        while (true) {
            boolean one = transactions.retried(c -> {
                List<Long> found = ids(c, dialect.sql(PURGEABLE), JdbcTimes.nanos(deletedBefore));
                if (found.isEmpty()) {
                    return false;
                }
                long experiment = found.get(0);
                if (ids(c, dialect.sql(LOCK_PURGEABLE), experiment, JdbcTimes.nanos(deletedBefore)).isEmpty()) {
                    return true; // restored since it was found: looked for again
                }
                for (long run : ids(c, RUNS_OF_EXPERIMENT, experiment)) {
                    JdbcManifests.forget(c, Run.manifestKey(run));
                }
                update(c, DELETE_EXPERIMENT, experiment);
                return true;
            });
            if (!one) {
                return purged;
            }
            purged++;
        }
    }

    private static boolean named(Connection c, long projectId, String name, long modelId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(NAMED)) {
            s.setLong(1, projectId);
            s.setString(2, name);
            s.setLong(3, modelId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<Long> ids(Connection c, String query, long... params) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                s.setLong(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
        }
        return out;
    }

    private static void update(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setLong(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
