-- As migration V8 for H2 and PostgreSQL (ManifestsOfRunsMigration): the manifest tables stop referring to model_version,
-- since runs' files are manifests too (keyed by minus the run's id). SQLite drops a reference only by rebuilding the
-- table, keeping every row and id.
CREATE TABLE manifest_file_v8 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id  INTEGER NOT NULL,
    path        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    uploaded_by TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    from_rev    INTEGER NOT NULL,
    until_rev   INTEGER NOT NULL
);
INSERT INTO manifest_file_v8 (id, version_id, path, size, sha256, uploaded_by, created_at, from_rev, until_rev)
    SELECT id, version_id, path, size, sha256, uploaded_by, created_at, from_rev, until_rev FROM manifest_file;
DROP TABLE manifest_file;
ALTER TABLE manifest_file_v8 RENAME TO manifest_file;
CREATE UNIQUE INDEX uq_manifest_file_path ON manifest_file (version_id, path, until_rev);
CREATE INDEX ix_manifest_file_sha256 ON manifest_file (sha256);

CREATE TABLE manifest_revision_v8 (
    version_id    INTEGER NOT NULL,
    rev           INTEGER NOT NULL,
    commit_id     TEXT,
    superseded_at INTEGER,
    PRIMARY KEY (version_id, rev)
);
INSERT INTO manifest_revision_v8 (version_id, rev, commit_id, superseded_at)
    SELECT version_id, rev, commit_id, superseded_at FROM manifest_revision;
DROP TABLE manifest_revision;
ALTER TABLE manifest_revision_v8 RENAME TO manifest_revision;
CREATE INDEX ix_manifest_revision_commit ON manifest_revision (commit_id);
