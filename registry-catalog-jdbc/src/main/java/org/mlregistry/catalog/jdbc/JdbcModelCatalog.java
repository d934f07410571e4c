package org.mlregistry.catalog.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.model.DeletedVersion;
import org.mlregistry.core.model.Experiment;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.core.model.Param;
import org.mlregistry.core.model.Run;
import org.mlregistry.core.model.FileOverwrite;
import org.mlregistry.core.model.FilePath;
import org.mlregistry.core.model.LoggedModel;
import org.mlregistry.core.model.Manifest;
import org.mlregistry.core.model.ManifestFile;
import org.mlregistry.core.model.NewFile;
import org.mlregistry.core.model.Sha256;
import org.mlregistry.core.model.StoredBlob;
import org.mlregistry.core.model.ModelName;
import org.mlregistry.core.model.ModelVersion;
import org.mlregistry.core.model.RegisteredModel;
import org.mlregistry.core.model.SemanticVersion;
import org.mlregistry.core.model.Stage;
import org.mlregistry.core.model.Tag;
import org.mlregistry.core.spi.ManifestCatalog;
import org.mlregistry.core.spi.ModelCatalog;
import org.mlregistry.core.spi.TrackingCatalog;

/**
 * A {@link ModelCatalog} in a relational database over plain JDBC, tested on embedded H2 and PostgreSQL.
 * The schema is created and upgraded by Flyway migrations ({@code org/mlregistry/catalog/jdbc/migration}: outside
 * {@code db/migration}, which an application's own Flyway scans, recursively; history table {@value #HISTORY_TABLE}); every write is one transaction; uniqueness and ids are the database's
 * (constraints and identity columns), so concurrent creates on any number of nodes resolve in the
 * database; SQL only ever takes bound parameters.
 *
 * <pre>{@code
 * ModelCatalog catalog = JdbcModelCatalog.migrate(CatalogDataSources.h2(root.resolve(".mlregistry/catalog")));
 * }</pre>
 *
 * <p>Threading: safe for concurrent use, as its {@link DataSource} is.
 */
public final class JdbcModelCatalog implements ModelCatalog, ManifestCatalog, TrackingCatalog {

    /** Flyway's history table, named for this library so it can share a schema with an application's own. */
    public static final String HISTORY_TABLE = "mlregistry_schema_history";

    private static final int AUTO_VERSION_ATTEMPTS = 8;

    // Every statement is a constant: input only ever reaches the database as a bound parameter.
    private static final String INSERT_MODEL = """
            INSERT INTO registered_model (project_id, name, description, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_MODELS_OF_PROJECT = """
            SELECT id, project_id, name, description, created_by, created_at, updated_at
            FROM registered_model WHERE project_id = ? ORDER BY name""";
    private static final String SELECT_MODEL = """
            SELECT id, project_id, name, description, created_by, created_at, updated_at
            FROM registered_model WHERE project_id = ? AND name = ?""";
    private static final String UPDATE_MODEL = """
            UPDATE registered_model SET description = ?, updated_at = ? WHERE project_id = ? AND name = ?""";
    private static final String DELETE_MODEL = "DELETE FROM registered_model WHERE id = ?";
    private static final String INSERT_VERSION = """
            INSERT INTO model_version (model_id, project_id, semver, semver_key, description, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_VERSIONS_OF_MODEL = """
            SELECT v.id, v.project_id, v.model_id, m.name, v.semver, v.description, v.created_at, v.updated_at, r.run_uuid,
            v.source_path FROM model_version v JOIN registered_model m ON m.id = v.model_id
            LEFT JOIN run r ON r.model_version_id = v.id WHERE v.model_id = ? ORDER BY v.id""";
    /** The versions of the named models of a project: the names are one array parameter, so the statement stays constant. */
    private static final String SELECT_VERSIONS_OF_MODELS = """
            SELECT v.id, v.project_id, v.model_id, m.name, v.semver, v.description, v.created_at, v.updated_at, r.run_uuid,
            v.source_path FROM model_version v JOIN registered_model m ON m.id = v.model_id
            LEFT JOIN run r ON r.model_version_id = v.id
            WHERE m.project_id = ? AND m.name = ANY (?) ORDER BY v.id""";
    private static final String SELECT_TAGS_OF_VERSIONS = """
            SELECT version_id, tag_key, tag_value FROM model_version_tag WHERE version_id = ANY (?) ORDER BY version_id, ord""";
    private static final String SELECT_VERSION = """
            SELECT v.id, v.project_id, v.model_id, m.name, v.semver, v.description, v.created_at, v.updated_at, r.run_uuid,
            v.source_path FROM model_version v JOIN registered_model m ON m.id = v.model_id
            LEFT JOIN run r ON r.model_version_id = v.id WHERE v.id = ? ORDER BY v.id""";
    private static final String SELECT_VERSIONS_AFTER = """
            SELECT v.id, v.project_id, v.model_id, m.name, v.semver, v.description, v.created_at, v.updated_at, r.run_uuid,
            v.source_path FROM model_version v JOIN registered_model m ON m.id = v.model_id
            LEFT JOIN run r ON r.model_version_id = v.id WHERE v.id > ? ORDER BY v.id FETCH FIRST ? ROWS ONLY""";
    private static final String UPDATE_VERSION = """
            UPDATE model_version SET description = ?, updated_at = ? WHERE id = ? AND project_id = ?""";
    private static final String DELETE_VERSION = "DELETE FROM model_version WHERE id = ? AND project_id = ?";
    private static final String INSERT_DELETED = "INSERT INTO deleted_version (version_id, project_id) VALUES (?, ?)";
    private static final String SELECT_DELETED = """
            SELECT project_id, version_id FROM deleted_version WHERE version_id > ? ORDER BY version_id""";
    private static final String LOCK_MODEL = "SELECT id FROM registered_model WHERE id = ? FOR UPDATE";
    private static final String DELETE_DELETED = "DELETE FROM deleted_version WHERE version_id = ?";
    private static final String SELECT_MODEL_TAGS = """
            SELECT tag_key, tag_value FROM registered_model_tag WHERE model_id = ? ORDER BY ord""";
    private static final String SELECT_VERSION_TAGS = """
            SELECT tag_key, tag_value FROM model_version_tag WHERE version_id = ? ORDER BY ord""";
    private static final String INSERT_MODEL_TAG = """
            INSERT INTO registered_model_tag (model_id, ord, tag_key, tag_value) VALUES (?, ?, ?, ?)""";
    private static final String INSERT_VERSION_TAG = """
            INSERT INTO model_version_tag (version_id, ord, tag_key, tag_value) VALUES (?, ?, ?, ?)""";
    private static final String UPDATE_MODEL_TAG = "UPDATE registered_model_tag SET tag_value = ? WHERE model_id = ? AND tag_key = ?";
    private static final String UPDATE_VERSION_TAG = "UPDATE model_version_tag SET tag_value = ? WHERE version_id = ? AND tag_key = ?";
    private static final String COUNT_MODEL_TAGS = "SELECT COUNT(*), COALESCE(MAX(ord), -1) FROM registered_model_tag WHERE model_id = ?";
    private static final String COUNT_VERSION_TAGS = "SELECT COUNT(*), COALESCE(MAX(ord), -1) FROM model_version_tag WHERE version_id = ?";
    private static final String DELETE_MODEL_TAG = "DELETE FROM registered_model_tag WHERE model_id = ? AND tag_key = ?";
    private static final String DELETE_VERSION_TAG = "DELETE FROM model_version_tag WHERE version_id = ? AND tag_key = ?";
    private static final String TOUCH_MODEL = "UPDATE registered_model SET updated_at = ? WHERE id = ?";
    private static final String TOUCH_VERSION = "UPDATE model_version SET updated_at = ? WHERE id = ?";
    private static final String LOCK_VERSION = "SELECT id FROM model_version WHERE id = ? FOR UPDATE";
    private static final String RENAME_MODEL = """
            UPDATE registered_model SET name = ?, updated_at = ? WHERE project_id = ? AND name = ?""";
    private static final String DELETE_ALIAS = "DELETE FROM model_alias WHERE model_id = ? AND alias = ?";
    private static final String INSERT_ALIAS = "INSERT INTO model_alias (model_id, alias, version_id) VALUES (?, ?, ?)";
    private static final String SELECT_ALIASES = """
            SELECT a.model_id, a.alias, a.version_id FROM model_alias a JOIN registered_model m ON m.id = a.model_id
            WHERE m.project_id = ? AND a.model_id = ANY (?)""";
    private static final String DELETE_STAGE = "DELETE FROM model_version_stage WHERE version_id = ?";
    private static final String INSERT_STAGE = "INSERT INTO model_version_stage (version_id, stage) VALUES (?, ?)";
    private static final String SELECT_STAGES = """
            SELECT s.version_id, s.stage FROM model_version_stage s JOIN model_version v ON v.id = s.version_id
            WHERE v.project_id = ? AND s.version_id = ANY (?)""";
    private static final String ARCHIVE_STAGE = """
            UPDATE model_version_stage SET stage = 'Archived'
            WHERE stage = ? AND version_id <> ? AND version_id IN (SELECT id FROM model_version WHERE model_id = ?)""";

    private final DataSource db;
    /**
     * The database's words, and whether each write is followed by {@code CHECKPOINT SYNC}: on H2, a commit writes its
     * changes only if no other thread is writing the store at that moment (else they wait in memory for a later
     * write), so a process killed right after answering could lose what it answered for (found by the
     * crash-consistency test: versions answered 200 were gone after a {@code kill -9}, and their ids handed out
     * again). The checkpoint waits for the write and syncs it. PostgreSQL's and SQLite's commits are durable as they are.
     */
    private final Dialect dialect;
    private final Transactions transactions;
    private final JdbcManifests manifests;
    private final JdbcTracking tracking;
    private final JdbcRuns runs;
    private final JdbcLoggedModels loggedModels;

    private JdbcModelCatalog(DataSource db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
        this.transactions = new Transactions(db, dialect);
        this.manifests = new JdbcManifests(transactions, dialect);
        this.tracking = new JdbcTracking(transactions, dialect);
        this.runs = new JdbcRuns(transactions, dialect);
        this.loggedModels = new JdbcLoggedModels(transactions, dialect);
    }

    /**
     * Brings the schema of {@code db} to the newest version (idempotent) and returns a catalog over it. SQLite has its
     * own migrations ({@code sqlite/}), the same schema in its words.
     */
    public static JdbcModelCatalog migrate(DataSource db) {
        JdbcModelCatalog catalog = migrateSchema(db);
        try {
            JdbcVersionRuns.backfill(catalog.transactions, catalog.dialect);
        } catch (IOException e) {
            throw new IllegalStateException("the catalog's models and versions could not be given their runs", e);
        }
        return catalog;
    }

    private static JdbcModelCatalog migrateSchema(DataSource db) {
        Objects.requireNonNull(db, "db");
        Dialect dialect;
        try (Connection c = db.getConnection()) {
            dialect = Dialect.of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("the catalog database cannot be reached (SQL state " + e.getSQLState() + ")", e);
        }
        String folder = dialect == Dialect.SQLITE ? "sqlite" : "migration";
        FluentConfiguration flyway = Flyway.configure().dataSource(db).locations("classpath:org/mlregistry/catalog/jdbc/" + folder)
                .table(HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0");
        if (dialect != Dialect.SQLITE) {
            flyway.javaMigrations(new ManifestsOfRunsMigration());
        }
        flyway.load().migrate();
        return new JdbcModelCatalog(db, dialect);
    }

    @Override
    public RegisteredModel createModel(long projectId, ModelName name, String description, List<Tag> tags, String createdBy,
                                       Instant now) throws IOException {
        return writeTx(c -> {
            long id;
            try (PreparedStatement s = c.prepareStatement(INSERT_MODEL, Statement.RETURN_GENERATED_KEYS)) {
                s.setLong(1, projectId);
                s.setString(2, name.value());
                s.setString(3, description);
                s.setString(4, createdBy);
                s.setLong(5, JdbcTimes.nanos(now));
                s.setLong(6, JdbcTimes.nanos(now));
                s.executeUpdate();
                id = generatedId(s);
            }
            insertTags(c, INSERT_MODEL_TAG, id, tags);
            JdbcVersionRuns.modelExperiment(c, projectId, id, name, now);
            return new RegisteredModel(id, projectId, name, description, tags, createdBy, now, now);
        }, () -> new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Registered model (name=" + name + ") already exists."));
    }

    @Override
    public Optional<RegisteredModel> findModel(long projectId, ModelName name) throws IOException {
        return tx(c -> findModel(c, projectId, name), null);
    }

    @Override
    public List<RegisteredModel> listModels(long projectId) throws IOException {
        return tx(c -> {
            List<RegisteredModel> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT_MODELS_OF_PROJECT)) {
                s.setLong(1, projectId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(model(c, r));
                    }
                }
            }
            out.sort(Comparator.comparing(m -> m.name().value())); // the database's collation may differ from Java's
            return out;
        }, null);
    }

    @Override
    public Optional<RegisteredModel> updateModel(long projectId, ModelName name, String description, Instant now) throws IOException {
        return writeTx(c -> {
            try (PreparedStatement s = c.prepareStatement(UPDATE_MODEL)) {
                s.setString(1, description);
                s.setLong(2, JdbcTimes.nanos(now));
                s.setLong(3, projectId);
                s.setString(4, name.value());
                s.executeUpdate();
            }
            return findModel(c, projectId, name);
        }, null);
    }

    @Override
    public Optional<List<ModelVersion>> deleteModel(long projectId, ModelName name) throws IOException {
        return writeTx(c -> {
            Optional<RegisteredModel> model = findModel(c, projectId, name);
            if (model.isEmpty()) {
                return Optional.empty();
            }
            // the model's row locked first: a version created meanwhile (its insert checks the row) waits, and so
            // does a second deletion of the model, which then finds nothing
            try (PreparedStatement s = c.prepareStatement(dialect.sql(LOCK_MODEL))) {
                s.setLong(1, model.get().id());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<List<ModelVersion>>empty();
                    }
                }
            }
            List<ModelVersion> versions = versions(c, SELECT_VERSIONS_OF_MODEL, model.get().id());
            JdbcVersionRuns.modelDeleting(c, dialect, manifests, model.get().id(), Instant.now());
            try (PreparedStatement s = c.prepareStatement(DELETE_MODEL)) {
                s.setLong(1, model.get().id());
                if (s.executeUpdate() == 0) {
                    return Optional.<List<ModelVersion>>empty();
                }
            }
            recordDeleted(c, versions);
            return Optional.of(versions);
        }, null);
    }

    @Override
    public ModelVersion createVersion(long projectId, ModelName model, Optional<SemanticVersion> version, String description,
                                      List<Tag> tags, Instant now) throws IOException {
        Supplier<RegistryException> taken = () -> new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS,
                "Model version " + version.map(SemanticVersion::toString).orElse("") + " of " + model + " already exists.");
        if (version.isPresent()) {
            return writeTx(c -> insertVersion(c, projectId, model, version.get(), description, tags, now), taken);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                // the next patch is chosen in the transaction; a concurrent create of the same one loses on the
                // unique constraint and simply chooses again
                return writeTx(c -> insertVersion(c, projectId, model, nextPatch(c, projectId, model), description, tags, now),
                        () -> new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "retry"));
            } catch (RegistryException e) {
                if (e.reason() != Refusal.RESOURCE_ALREADY_EXISTS || attempt == AUTO_VERSION_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private SemanticVersion nextPatch(Connection c, long projectId, ModelName model) throws SQLException {
        RegisteredModel m = findModel(c, projectId, model).orElseThrow(() -> modelNotFound(model));
        return versions(c, SELECT_VERSIONS_OF_MODEL, m.id()).stream().map(ModelVersion::version).max(Comparator.naturalOrder())
                .map(SemanticVersion::nextPatch).orElse(SemanticVersion.FIRST);
    }

    private ModelVersion insertVersion(Connection c, long projectId, ModelName model, SemanticVersion semver, String description,
                                       List<Tag> tags, Instant now) throws SQLException {
        RegisteredModel m = findModel(c, projectId, model).orElseThrow(() -> modelNotFound(model));
        long id;
        try (PreparedStatement s = c.prepareStatement(INSERT_VERSION, Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, m.id());
            s.setLong(2, projectId);
            s.setString(3, semver.toString());
            s.setString(4, semver.precedenceKey());
            s.setString(5, description);
            s.setLong(6, JdbcTimes.nanos(now));
            s.setLong(7, JdbcTimes.nanos(now));
            try {
                s.executeUpdate();
            } catch (SQLException e) {
                if (Dialect.isForeignKeyViolation(e)) {
                    throw modelNotFound(model); // deleted by a concurrent transaction since it was found above
                }
                throw e;
            }
            id = generatedId(s);
        }
        insertTags(c, INSERT_VERSION_TAG, id, tags);
        JdbcManifests.versionCreated(c, id);
        String runId;
        try {
            runId = JdbcVersionRuns.versionRun(c, projectId, m.id(), m.name(), id, semver.toString(), now);
        } catch (SQLException e) {
            if (Dialect.isForeignKeyViolation(e)) {
                throw modelNotFound(model); // its model (and the experiment the run goes in) deleted concurrently
            }
            throw e;
        }
        return new ModelVersion(id, projectId, m.id(), m.name(), semver, description, tags, now, now, runId, "");
    }

    @Override
    public Optional<ModelVersion> findVersion(long projectId, long versionId) throws IOException {
        return tx(c -> findVersion(c, projectId, versionId), null);
    }

    @Override
    public List<ModelVersion> listVersions(long projectId, ModelName model) throws IOException {
        return tx(c -> {
            Optional<RegisteredModel> m = findModel(c, projectId, model);
            return m.isEmpty() ? List.<ModelVersion>of() : versions(c, SELECT_VERSIONS_OF_MODEL, m.get().id());
        }, null);
    }

    @Override
    public List<ModelVersion> listVersionsOf(long projectId, Collection<ModelName> models) throws IOException {
        return models.isEmpty() ? List.of() : tx(c -> versionsOf(c, dialect, SELECT_VERSIONS_OF_MODELS, projectId, models), null);
    }

    /**
     * The versions {@code query} (one of this class's constants, taking a project id and an array of names) selects,
     * by id, with their tags read in one more statement: two round trips however many versions.
     */
    private static List<ModelVersion> versionsOf(Connection c, Dialect dialect, String query, long projectId, Collection<ModelName> models)
            throws SQLException {
        record Row(long id, long projectId, long modelId, String name, String semver, String description, long created,
                   long updated, @Nullable String runId, String sourcePath) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(dialect.sql(query))) {
            s.setLong(1, projectId);
            dialect.bindList(c, s, 2, "VARCHAR", models.stream().map(ModelName::value).distinct().toList());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4), r.getString(5), r.getString(6),
                            r.getLong(7), r.getLong(8), r.getString(9), r.getString(10)));
                }
            }
        }
        Map<Long, List<Tag>> tags = new HashMap<>();
        if (!rows.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_TAGS_OF_VERSIONS))) {
                dialect.bindList(c, s, 1, "BIGINT", rows.stream().map(Row::id).toList());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        tags.computeIfAbsent(r.getLong(1), id -> new ArrayList<>()).add(new Tag(r.getString(2), r.getString(3)));
                    }
                }
            }
        }
        List<ModelVersion> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(new ModelVersion(row.id(), row.projectId(), row.modelId(), new ModelName(row.name()),
                    SemanticVersion.parse(row.semver()), row.description(), List.copyOf(tags.getOrDefault(row.id(), List.of())),
                    JdbcTimes.instant(row.created()), JdbcTimes.instant(row.updated()), row.runId() == null ? "" : row.runId(),
                    row.sourcePath()));
        }
        return out;
    }

    @Override
    public Optional<ModelVersion> updateVersion(long projectId, long versionId, String description, Instant now) throws IOException {
        return writeTx(c -> {
            try (PreparedStatement s = c.prepareStatement(UPDATE_VERSION)) {
                s.setString(1, description);
                s.setLong(2, JdbcTimes.nanos(now));
                s.setLong(3, versionId);
                s.setLong(4, projectId);
                s.executeUpdate();
            }
            return findVersion(c, projectId, versionId);
        }, null);
    }

    @Override
    public boolean deleteVersion(long projectId, long versionId) throws IOException {
        return writeTx(c -> {
            Optional<ModelVersion> version = findVersion(c, projectId, versionId);
            if (version.isEmpty()) {
                return false;
            }
            // locked first, so that an upload or a promotion into it either commits before its manifest goes or finds no version
            if (!locked(c, LOCK_VERSION, versionId)) {
                return false;
            }
            JdbcVersionRuns.versionDeleting(c, manifests, versionId, Instant.now());
            try (PreparedStatement s = c.prepareStatement(DELETE_VERSION)) {
                s.setLong(1, versionId);
                s.setLong(2, projectId);
                if (s.executeUpdate() == 0) {
                    return false; // a concurrent deletion got there first (the row lock made this one wait)
                }
            }
            recordDeleted(c, List.of(version.get()));
            return true;
        }, null);
    }

    @Override
    public Optional<RegisteredModel> setModelTag(long projectId, ModelName name, Tag tag, Instant now) throws IOException {
        return writeTx(c -> {
            Optional<RegisteredModel> m = findModel(c, projectId, name);
            if (m.isEmpty() || !locked(c, LOCK_MODEL, m.get().id())) {
                return Optional.<RegisteredModel>empty();
            }
            putTag(c, m.get().id(), tag, UPDATE_MODEL_TAG, COUNT_MODEL_TAGS, INSERT_MODEL_TAG);
            touch(c, TOUCH_MODEL, m.get().id(), now);
            return findModel(c, projectId, name);
        }, null);
    }

    @Override
    public Optional<RegisteredModel> deleteModelTag(long projectId, ModelName name, String key, Instant now) throws IOException {
        return writeTx(c -> {
            Optional<RegisteredModel> m = findModel(c, projectId, name);
            if (m.isEmpty()) {
                return m;
            }
            deleteTag(c, DELETE_MODEL_TAG, m.get().id(), key);
            touch(c, TOUCH_MODEL, m.get().id(), now);
            return findModel(c, projectId, name);
        }, null);
    }

    @Override
    public Optional<ModelVersion> setVersionTag(long projectId, long versionId, Tag tag, Instant now) throws IOException {
        return writeTx(c -> {
            if (findVersion(c, projectId, versionId).isEmpty() || !locked(c, LOCK_VERSION, versionId)) {
                return Optional.<ModelVersion>empty();
            }
            putTag(c, versionId, tag, UPDATE_VERSION_TAG, COUNT_VERSION_TAGS, INSERT_VERSION_TAG);
            touch(c, TOUCH_VERSION, versionId, now);
            return findVersion(c, projectId, versionId);
        }, null);
    }

    @Override
    public Optional<ModelVersion> deleteVersionTag(long projectId, long versionId, String key, Instant now) throws IOException {
        return writeTx(c -> {
            if (findVersion(c, projectId, versionId).isEmpty()) {
                return Optional.<ModelVersion>empty();
            }
            deleteTag(c, DELETE_VERSION_TAG, versionId, key);
            touch(c, TOUCH_VERSION, versionId, now);
            return findVersion(c, projectId, versionId);
        }, null);
    }

    /** Whether the row could be locked (it still exists); later writers of its tags wait for this transaction. */
    private boolean locked(Connection c, String lock, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.sql(lock))) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The tag's value replaced where its key is, else the tag added last (under the owner's lock: one ord each). */
    private static void putTag(Connection c, long owner, Tag tag, String update, String count, String insert) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(update)) {
            s.setString(1, tag.value());
            s.setLong(2, owner);
            s.setString(3, tag.key());
            if (s.executeUpdate() > 0) {
                return;
            }
        }
        int ord;
        try (PreparedStatement s = c.prepareStatement(count)) {
            s.setLong(1, owner);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getInt(1) >= Tag.MAX_PER_ENTITY) {
                    throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, "at most " + Tag.MAX_PER_ENTITY + " tags");
                }
                ord = r.getInt(2) + 1;
            }
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            s.setLong(1, owner);
            s.setInt(2, ord);
            s.setString(3, tag.key());
            s.setString(4, tag.value());
            s.executeUpdate();
        }
    }

    private static void deleteTag(Connection c, String delete, long owner, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(delete)) {
            s.setLong(1, owner);
            s.setString(2, key);
            s.executeUpdate();
        }
    }

    private static void touch(Connection c, String touch, long id, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(touch)) {
            s.setLong(1, JdbcTimes.nanos(now));
            s.setLong(2, id);
            s.executeUpdate();
        }
    }

    @Override
    public Optional<ModelVersion> transitionStage(long projectId, long versionId, Stage stage, boolean archiveExisting, Instant now)
            throws IOException {
        return writeTx(c -> {
            Optional<ModelVersion> v = findVersion(c, projectId, versionId);
            // the model's row first, as every change of its versions takes it: two transitions archiving each other's
            // versions take turns
            if (v.isEmpty() || !locked(c, LOCK_MODEL, v.get().modelId()) || !locked(c, LOCK_VERSION, versionId)) {
                return Optional.<ModelVersion>empty();
            }
            if (archiveExisting && (stage == Stage.STAGING || stage == Stage.PRODUCTION)) {
                try (PreparedStatement s = c.prepareStatement(ARCHIVE_STAGE)) {
                    s.setString(1, stage.mlflowName());
                    s.setLong(2, versionId);
                    s.setLong(3, v.get().modelId());
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement(DELETE_STAGE)) {
                s.setLong(1, versionId);
                s.executeUpdate();
            }
            if (stage != Stage.NONE) {
                try (PreparedStatement s = c.prepareStatement(INSERT_STAGE)) {
                    s.setLong(1, versionId);
                    s.setString(2, stage.mlflowName());
                    s.executeUpdate();
                }
            }
            touch(c, TOUCH_VERSION, versionId, now);
            return findVersion(c, projectId, versionId);
        }, null);
    }

    @Override
    public Map<Long, Stage> stages(long projectId, Collection<Long> versionIds) throws IOException {
        Map<Long, Stage> out = new HashMap<>();
        byIds(projectId, versionIds, SELECT_STAGES, r -> {
            long id = r.getLong(1);
            Stage.parse(r.getString(2)).ifPresent(stage -> out.put(id, stage));
        });
        return Map.copyOf(out);
    }

    /** Reads one row of a query's answer. */
    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs {@code query} (a project id, then {@code = ANY (?)} of ids) and hands each row to {@code reader}. */
    private void byIds(long projectId, Collection<Long> ids, String query, RowReader reader) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        List<Long> distinct = ids.stream().distinct().toList();
        tx(c -> {
            try (PreparedStatement s = c.prepareStatement(dialect.sql(query))) {
                s.setLong(1, projectId);
                dialect.bindList(c, s, 2, "BIGINT", distinct);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        reader.read(r);
                    }
                }
            }
            return Boolean.TRUE;
        }, null);
    }

    @Override
    public Optional<RegisteredModel> renameModel(long projectId, ModelName name, ModelName newName, Instant now) throws IOException {
        return writeTx(c -> {
            try (PreparedStatement s = c.prepareStatement(RENAME_MODEL)) {
                s.setString(1, newName.value());
                s.setLong(2, JdbcTimes.nanos(now));
                s.setLong(3, projectId);
                s.setString(4, name.value());
                if (s.executeUpdate() == 0) {
                    return Optional.<RegisteredModel>empty();
                }
            }
            Optional<RegisteredModel> renamed = findModel(c, projectId, newName);
            if (renamed.isPresent()) {
                JdbcVersionRuns.modelRenamed(c, projectId, renamed.get().id(), newName, now);
            }
            return renamed;
        }, () -> new RegistryException(Refusal.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + newName + ") already exists."));
    }

    @Override
    public boolean setAlias(long projectId, ModelName model, String alias, long versionId) throws IOException {
        return writeTx(c -> {
            Optional<RegisteredModel> m = findModel(c, projectId, model);
            Optional<ModelVersion> v = findVersion(c, projectId, versionId);
            // the model's row, then the version's, as a deletion takes them: a version deleted meanwhile is found gone
            // here instead of failing the insert, and the two never wait for each other in opposite order
            if (m.isEmpty() || v.isEmpty() || v.get().modelId() != m.get().id() || !locked(c, LOCK_MODEL, m.get().id())
                    || !locked(c, LOCK_VERSION, versionId)) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(DELETE_ALIAS)) {
                s.setLong(1, m.get().id());
                s.setString(2, alias);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(INSERT_ALIAS)) {
                s.setLong(1, m.get().id());
                s.setString(2, alias);
                s.setLong(3, versionId);
                s.executeUpdate();
            }
            return true;
        }, null);
    }

    @Override
    public boolean deleteAlias(long projectId, ModelName model, String alias) throws IOException {
        return writeTx(c -> {
            Optional<RegisteredModel> m = findModel(c, projectId, model);
            if (m.isEmpty()) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(DELETE_ALIAS)) {
                s.setLong(1, m.get().id());
                s.setString(2, alias);
                return s.executeUpdate() > 0;
            }
        }, null);
    }

    @Override
    public Map<Long, Map<String, Long>> aliases(long projectId, Collection<Long> modelIds) throws IOException {
        Map<Long, Map<String, Long>> out = new HashMap<>();
        // sorted here, by Java's order: the database's collation may differ
        byIds(projectId, modelIds, SELECT_ALIASES,
                r -> out.computeIfAbsent(r.getLong(1), id -> new TreeMap<>()).put(r.getString(2), r.getLong(3)));
        out.replaceAll((id, aliases) -> Collections.unmodifiableMap(aliases));
        return Map.copyOf(out);
    }

    @Override
    public List<DeletedVersion> deletedVersions(long afterVersionId, int limit) throws IOException {
        return tx(c -> {
            List<DeletedVersion> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SELECT_DELETED)) {
                s.setLong(1, afterVersionId);
                s.setMaxRows(limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next() && out.size() < limit) {
                        out.add(new DeletedVersion(r.getLong(1), r.getLong(2)));
                    }
                }
            }
            return out;
        }, null);
    }

    @Override
    public void filesRemoved(long versionId) throws IOException {
        writeTx(c -> {
            try (PreparedStatement s = c.prepareStatement(DELETE_DELETED)) {
                s.setLong(1, versionId);
                return s.executeUpdate();
            }
        }, null);
    }

    /**
     * Records {@code versions} as deleted, in the transaction that deletes them. A version a concurrent deletion (its
     * own, or its model's) recorded already is skipped: each insert runs under a savepoint, so that the duplicate
     * does not abort the transaction.
     */
    private void recordDeleted(Connection c, List<ModelVersion> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        if (dialect == Dialect.SQLITE) { // a failed statement does not abort its transaction there: no savepoint needed
            try (PreparedStatement s = c.prepareStatement(INSERT_DELETED.replace("INSERT INTO", "INSERT OR IGNORE INTO"))) {
                for (ModelVersion v : versions) {
                    s.setLong(1, v.id());
                    s.setLong(2, v.projectId());
                    s.executeUpdate();
                }
            }
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_DELETED)) {
            for (ModelVersion v : versions) {
                s.setLong(1, v.id());
                s.setLong(2, v.projectId());
                Savepoint before = c.setSavepoint();
                try {
                    s.executeUpdate();
                    c.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!Dialect.isUniqueViolation(e)) {
                        throw e;
                    }
                    c.rollback(before);
                }
            }
        }
    }

    /** Borrows a connection and asks the driver whether it is alive, within 2 seconds. */
    @Override
    public void checkReachable() throws IOException {
        try (Connection c = db.getConnection()) {
            if (!c.isValid(2)) {
                throw new IOException("the catalog database did not answer a validity check");
            }
        } catch (SQLException e) {
            throw Transactions.failed(e);
        }
    }

    private static Optional<RegisteredModel> findModel(Connection c, long projectId, ModelName name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT_MODEL)) {
            s.setLong(1, projectId);
            s.setString(2, name.value());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(model(c, r)) : Optional.empty();
            }
        }
    }

    private static Optional<ModelVersion> findVersion(Connection c, long projectId, long versionId) throws SQLException {
        return versions(c, SELECT_VERSION, versionId).stream().filter(v -> v.projectId() == projectId).findFirst();
    }

    /** The versions {@code query} (one of this class's constants, taking one id) selects, oldest first. */
    private static List<ModelVersion> versions(Connection c, String query, long id) throws SQLException {
        List<ModelVersion> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long versionId = r.getLong(1);
                    out.add(version(r, tags(c, SELECT_VERSION_TAGS, versionId)));
                }
            }
        }
        return out;
    }

    /** The version in a row of the version queries' columns, with its tags. */
    private static ModelVersion version(ResultSet r, List<Tag> tags) throws SQLException {
        String runId = r.getString(9);
        return new ModelVersion(r.getLong(1), r.getLong(2), r.getLong(3), new ModelName(r.getString(4)), SemanticVersion.parse(r.getString(5)),
                r.getString(6), tags, JdbcTimes.instant(r.getLong(7)), JdbcTimes.instant(r.getLong(8)), runId == null ? "" : runId,
                r.getString(10));
    }

    private static RegisteredModel model(Connection c, ResultSet r) throws SQLException {
        long id = r.getLong(1);
        return new RegisteredModel(id, r.getLong(2), new ModelName(r.getString(3)), r.getString(4),
                tags(c, SELECT_MODEL_TAGS, id), r.getString(5), JdbcTimes.instant(r.getLong(6)), JdbcTimes.instant(r.getLong(7)));
    }

    /** The tags {@code query} (one of this class's constants, taking the owner's id) selects, in order. */
    private static List<Tag> tags(Connection c, String query, long id) throws SQLException {
        List<Tag> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Tag(r.getString(1), r.getString(2)));
                }
            }
        }
        return out;
    }

    private static void insertTags(Connection c, String insert, long id, List<Tag> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            for (int i = 0; i < tags.size(); i++) {
                s.setLong(1, id);
                s.setInt(2, i);
                s.setString(3, tags.get(i).key());
                s.setString(4, tags.get(i).value());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The statements the download path keeps (SQLite): for tests. */
    StatementCache statements() {
        return manifests.statements();
    }

    /** The id the database generated for the row {@code s} inserted. */
    static long generatedId(PreparedStatement s) throws SQLException {
        try (ResultSet keys = s.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated id");
            }
            return keys.getLong(1);
        }
    }

    /** {@link #tx} for a change: on H2, also forced to the file before it returns ({@link Dialect#syncsAfterCommit}). */
    private <T> T writeTx(Transactions.Work<T> work, @Nullable Supplier<RegistryException> onDuplicate) throws IOException {
        return transactions.once(work, onDuplicate, true);
    }

    /** A read: in auto-commit mode, so that it never takes a write lock (SQLite) and never waits for one. */
    private <T> T tx(Transactions.Work<T> work, @Nullable Supplier<RegistryException> onDuplicate) throws IOException {
        return onDuplicate == null ? transactions.read(work) : transactions.once(work, onDuplicate, false);
    }




    private static RegistryException modelNotFound(ModelName name) {
        return new RegistryException(Refusal.RESOURCE_DOES_NOT_EXIST, "Registered model (name=" + name + ") not found");
    }

    @Override
    public Optional<Manifest> manifest(long versionId) throws IOException {
        return manifests.manifest(versionId);
    }

    @Override
    public Optional<Long> revision(long versionId) throws IOException {
        return manifests.revision(versionId);
    }

    @Override
    public Optional<ManifestFile> findFile(long versionId, FilePath path) throws IOException {
        return manifests.findFile(versionId, path);
    }

    @Override
    public boolean isDirectory(long versionId, FilePath path) throws IOException {
        return manifests.isDirectory(versionId, path);
    }

    @Override
    public ManifestFile putFile(long versionId, NewFile file, FileOverwrite overwrite, StorageStep place) throws IOException {
        return manifests.putFile(versionId, file, overwrite, place);
    }

    @Override
    public boolean adoptFile(long versionId, NewFile file, StorageStep place) throws IOException {
        return manifests.adoptFile(versionId, file, place);
    }

    @Override
    public boolean removeFile(long versionId, FilePath path, Instant now) throws IOException {
        return manifests.removeFile(versionId, path, now);
    }

    @Override
    public Optional<Manifest> manifestAt(long versionId, long revision) throws IOException {
        return manifests.manifestAt(versionId, revision);
    }

    @Override
    public void nameCommit(Revision revision, String commitId) throws IOException {
        manifests.nameCommit(revision, commitId);
    }

    @Override
    public Optional<Revision> findCommit(Collection<Long> versionIds, String commitId) throws IOException {
        return manifests.findCommit(versionIds, commitId);
    }

    @Override
    public int forgetHistory(Instant supersededBefore) throws IOException {
        return manifests.forgetHistory(supersededBefore);
    }

    @Override
    public boolean collectBlob(Sha256 sha256, StorageStep delete) throws IOException {
        return manifests.collectBlob(sha256, delete);
    }

    @Override
    public void underBlobLock(Sha256 sha256, StorageStep step) throws IOException {
        manifests.underBlobLock(sha256, step);
    }

    @Override
    public boolean referenced(Sha256 sha256) throws IOException {
        return manifests.referenced(sha256);
    }

    @Override
    public List<StoredBlob> referencedBlobs(@Nullable Sha256 after, int limit) throws IOException {
        return manifests.referencedBlobs(after, limit);
    }

    @Override
    public List<ModelVersion> versionsAfter(long afterVersionId, int limit) throws IOException {
        return tx(c -> {
            List<ModelVersion> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(dialect.sql(SELECT_VERSIONS_AFTER))) {
                s.setLong(1, afterVersionId);
                s.setInt(2, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        long versionId = r.getLong(1);
                        out.add(version(r, tags(c, SELECT_VERSION_TAGS, versionId)));
                    }
                }
            }
            return out;
        }, null);
    }

    @Override
    public Optional<String> setting(String name) throws IOException {
        return manifests.setting(name);
    }

    @Override
    public void putSetting(String name, String value) throws IOException {
        manifests.putSetting(name, value);
    }

    @Override
    public Experiment createExperiment(long projectId, String name, List<Tag> tags, Instant now) throws IOException {
        return tracking.createExperiment(projectId, name, tags, now);
    }

    @Override
    public Optional<Experiment> findExperiment(long projectId, long iid) throws IOException {
        return tracking.findExperiment(projectId, iid);
    }

    @Override
    public Optional<Experiment> findExperimentByName(long projectId, String name) throws IOException {
        return tracking.findExperimentByName(projectId, name);
    }

    @Override
    public List<Experiment> listExperiments(long projectId) throws IOException {
        return tracking.listExperiments(projectId);
    }

    @Override
    public Map<Long, List<Tag>> experimentTags(long projectId, Collection<Long> iids) throws IOException {
        return tracking.experimentTags(projectId, iids);
    }

    @Override
    public Optional<Experiment> setExperimentDeleted(long projectId, long iid, boolean deleted, Instant now) throws IOException {
        return tracking.setExperimentDeleted(projectId, iid, deleted, now);
    }

    @Override
    public Optional<Experiment> renameExperiment(long projectId, long iid, String newName, Instant now) throws IOException {
        return tracking.renameExperiment(projectId, iid, newName, now);
    }

    @Override
    public boolean setExperimentTag(long projectId, long iid, Tag tag, Instant now) throws IOException {
        return tracking.setExperimentTag(projectId, iid, tag, now);
    }

    @Override
    public boolean deleteExperimentTag(long projectId, long iid, String key, Instant now) throws IOException {
        return tracking.deleteExperimentTag(projectId, iid, key, now);
    }

    @Override
    public Optional<Run> createRun(long projectId, long experimentIid, String runId, String name, String userId, long startTime,
                                   List<Tag> tags, Instant now) throws IOException {
        return runs.createRun(projectId, experimentIid, runId, name, userId, startTime, tags, now);
    }

    @Override
    public Optional<Run> findRun(long projectId, String runId) throws IOException {
        return runs.findRun(projectId, runId);
    }

    @Override
    public List<Run> listRuns(long projectId, Collection<Long> experimentIids) throws IOException {
        return runs.listRuns(projectId, experimentIids);
    }

    @Override
    public Optional<LoggedModel> createLoggedModel(long projectId, long experimentIid, String modelId, String name, String sourceRunId,
                                                   String modelType, List<Param> params, List<Tag> tags, Instant now) throws IOException {
        return loggedModels.create(projectId, experimentIid, modelId, name, sourceRunId, modelType, params, tags, now);
    }

    @Override
    public Optional<LoggedModel> findLoggedModel(long projectId, String modelId) throws IOException {
        return loggedModels.find(projectId, modelId);
    }

    @Override
    public List<LoggedModel> listLoggedModels(long projectId, Collection<Long> experimentIids) throws IOException {
        return loggedModels.list(projectId, experimentIids);
    }

    @Override
    public List<String> loggedModelsOf(long projectId, String runId) throws IOException {
        return loggedModels.of(projectId, runId);
    }

    @Override
    public Optional<LoggedModel> setLoggedModelStatus(long projectId, String modelId, String status, Instant now) throws IOException {
        return loggedModels.setStatus(projectId, modelId, status, now);
    }

    @Override
    public int purgeExperiments(Instant deletedBefore) throws IOException {
        return JdbcVersionRuns.purgeExperiments(transactions, dialect, deletedBefore);
    }

    @Override
    public Optional<Long> runFiles(long projectId, long iid) throws IOException {
        return runs.runFiles(projectId, iid);
    }

    @Override
    public Optional<ModelVersion> promoteRun(long projectId, String runId, long versionId, String sourcePath, Instant now)
            throws IOException {
        return writeTx(c -> {
            Optional<ModelVersion> v = findVersion(c, projectId, versionId);
            if (v.isEmpty() || !locked(c, LOCK_VERSION, versionId)) {
                return Optional.<ModelVersion>empty();
            }
            JdbcVersionRuns.promote(c, dialect, manifests, projectId, runId, versionId, v.get().runId(), sourcePath, now);
            return findVersion(c, projectId, versionId);
        }, null);
    }

    @Override
    public Optional<Run> findRunByIid(long projectId, long iid) throws IOException {
        return runs.findRunByIid(projectId, iid);
    }

    @Override
    public Optional<Run> updateRun(long projectId, String runId, RunUpdate update) throws IOException {
        return runs.updateRun(projectId, runId, update);
    }

    @Override
    public Optional<Run> setRunDeleted(long projectId, String runId, boolean deleted, Instant now) throws IOException {
        return runs.setRunDeleted(projectId, runId, deleted, now);
    }

    @Override
    public boolean logBatch(long projectId, String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) throws IOException {
        return runs.logBatch(projectId, runId, metrics, params, tags);
    }

    @Override
    public boolean deleteRunTag(long projectId, String runId, String key) throws IOException {
        return runs.deleteRunTag(projectId, runId, key);
    }

    @Override
    public List<Metric> metricHistory(long projectId, String runId, String key, int offset, int limit) throws IOException {
        return runs.metricHistory(projectId, runId, key, offset, limit);
    }

    @Override
    public MetricSketch metricSketch(long projectId, String runId, String key, int columns) throws IOException {
        return runs.metricSketch(projectId, runId, key, columns);
    }
}
