-- MLflow runs (issue 27), as migration/V7 for H2 and PostgreSQL in SQLite's words (NaN metric values are NULL).
CREATE TABLE run (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER       NOT NULL,
    iid           INTEGER       NOT NULL,
    run_uuid      TEXT  NOT NULL,
    experiment_id INTEGER       NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    status        TEXT  NOT NULL,
    start_time    INTEGER       NOT NULL,
    end_time      INTEGER,
    deleted_at    INTEGER,
    CONSTRAINT uq_run_iid UNIQUE (project_id, iid),
    CONSTRAINT uq_run_uuid UNIQUE (project_id, run_uuid)
);

CREATE TABLE run_param (
    run_id      INTEGER        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    param_key   TEXT  NOT NULL,
    param_value TEXT NOT NULL,
    PRIMARY KEY (run_id, param_key)
);

CREATE TABLE run_tag (
    run_id    INTEGER        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    tag_key   TEXT  NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (run_id, tag_key)
);

CREATE TABLE run_metric (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       INTEGER       NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    metric_key   TEXT NOT NULL,
    metric_value REAL,
    logged_at    INTEGER       NOT NULL,
    step         INTEGER       NOT NULL
);

CREATE INDEX ix_run_metric_key ON run_metric (run_id, metric_key, id);

CREATE TABLE run_latest_metric (
    run_id       INTEGER       NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    metric_key   TEXT NOT NULL,
    metric_value REAL,
    logged_at    INTEGER       NOT NULL,
    step         INTEGER       NOT NULL,
    PRIMARY KEY (run_id, metric_key)
);
