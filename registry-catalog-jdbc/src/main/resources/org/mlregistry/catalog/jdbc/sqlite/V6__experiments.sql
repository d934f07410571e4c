-- MLflow experiments (issue 27), as migration/V6 for H2 and PostgreSQL in SQLite's words.
CREATE TABLE experiment (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    iid        INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER,
    CONSTRAINT uq_experiment_iid UNIQUE (project_id, iid),
    CONSTRAINT uq_experiment_name UNIQUE (project_id, name)
);

CREATE TABLE experiment_tag (
    experiment_id INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    tag_key       TEXT    NOT NULL,
    tag_value     TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, tag_key)
);

-- The last iid handed out per project and kind ("7:experiment"): its row is the lock that numbers concurrent
-- creations one after the other, as GitLab's internal ids are.
CREATE TABLE iid_counter (
    counter_key TEXT NOT NULL PRIMARY KEY,
    last_iid    INTEGER NOT NULL
);
