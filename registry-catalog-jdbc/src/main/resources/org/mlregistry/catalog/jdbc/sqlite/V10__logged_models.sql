-- As migration/V10 for H2 and PostgreSQL, in SQLite's words.
CREATE TABLE logged_model (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    model_key  TEXT    NOT NULL,
    run_id     INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    source_run TEXT    NOT NULL,
    model_type TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    CONSTRAINT uq_logged_model_key UNIQUE (project_id, model_key),
    CONSTRAINT uq_logged_model_run UNIQUE (run_id)
);

CREATE INDEX ix_logged_model_source ON logged_model (project_id, source_run);
