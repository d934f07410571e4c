-- As migration/V9 for H2 and PostgreSQL, in SQLite's words.
ALTER TABLE experiment ADD COLUMN model_id INTEGER REFERENCES registered_model (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX uq_experiment_model ON experiment (model_id);

ALTER TABLE run ADD COLUMN model_version_id INTEGER REFERENCES model_version (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX uq_run_model_version ON run (model_version_id);
CREATE INDEX ix_run_experiment ON run (experiment_id);
ALTER TABLE run ADD COLUMN manifest_rev INTEGER NOT NULL DEFAULT 0;
INSERT INTO manifest_revision (version_id, rev) SELECT -id, 0 FROM run;

ALTER TABLE model_version ADD COLUMN source_path TEXT NOT NULL DEFAULT '';
