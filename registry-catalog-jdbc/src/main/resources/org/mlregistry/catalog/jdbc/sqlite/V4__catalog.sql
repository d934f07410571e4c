-- The catalog on SQLite, as of version 4 of the catalog's schema (migration/V1 to V4 for H2 and PostgreSQL): the same
-- tables, columns and constraints in SQLite's words. An embedded catalog starts here; later versions are written for
-- both. Times are epoch nanoseconds (UTC); paths and hashes compare byte by byte (SQLite's BINARY collation).
CREATE TABLE registered_model (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CONSTRAINT uq_registered_model_name UNIQUE (project_id, name)
);

CREATE TABLE registered_model_tag (
    model_id  INTEGER NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    tag_key   TEXT    NOT NULL,
    tag_value TEXT    NOT NULL,
    PRIMARY KEY (model_id, ord)
);

CREATE TABLE model_version (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id     INTEGER NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    project_id   INTEGER NOT NULL,
    semver       TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    semver_key   TEXT    NOT NULL,
    manifest_rev INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT uq_model_version_semver UNIQUE (model_id, semver),
    CONSTRAINT uq_model_version_precedence UNIQUE (model_id, semver_key)
);

CREATE INDEX ix_model_version_project ON model_version (project_id, id);

CREATE TABLE model_version_tag (
    version_id INTEGER NOT NULL REFERENCES model_version (id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    tag_key    TEXT    NOT NULL,
    tag_value  TEXT    NOT NULL,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE deleted_version (
    version_id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL
);

CREATE TABLE manifest_file (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id  INTEGER NOT NULL REFERENCES model_version (id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    uploaded_by TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    from_rev    INTEGER NOT NULL,
    until_rev   INTEGER NOT NULL,
    CONSTRAINT uq_manifest_file_path UNIQUE (version_id, path, until_rev)
);

CREATE INDEX ix_manifest_file_sha256 ON manifest_file (sha256);

CREATE TABLE manifest_revision (
    version_id    INTEGER NOT NULL REFERENCES model_version (id) ON DELETE CASCADE,
    rev           INTEGER NOT NULL,
    commit_id     TEXT,
    superseded_at INTEGER,
    PRIMARY KEY (version_id, rev)
);

CREATE INDEX ix_manifest_revision_commit ON manifest_revision (commit_id);

CREATE TABLE blob (
    sha256 TEXT    PRIMARY KEY,
    size   INTEGER NOT NULL
);

CREATE TABLE registry_setting (
    setting_name  TEXT PRIMARY KEY,
    setting_value TEXT NOT NULL
);
