-- Models and versions have runs, as in GitLab (issue 27): a registered model has an experiment ([model]<name>), deleted
-- with it; every version has a run in it, deleted with the version, whose files are the version's. A run of its own
-- keeps its files in a manifest keyed by minus its id (V8 freed the manifest tables for it), its revision in its row.
-- A version registered from runs:/<run_id>/<path> keeps that path: the directory MLflow clients download as the model.
-- Existing models and versions get their experiments and runs when the catalog opens (JdbcVersionRuns.backfill).
ALTER TABLE experiment ADD COLUMN model_id BIGINT REFERENCES registered_model (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX uq_experiment_model ON experiment (model_id);

ALTER TABLE run ADD COLUMN model_version_id BIGINT REFERENCES model_version (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX uq_run_model_version ON run (model_version_id);
CREATE INDEX ix_run_experiment ON run (experiment_id);
ALTER TABLE run ADD COLUMN manifest_rev BIGINT DEFAULT 0 NOT NULL;
INSERT INTO manifest_revision (version_id, rev) SELECT -id, 0 FROM run;

ALTER TABLE model_version ADD COLUMN source_path VARCHAR(1024) DEFAULT '' NOT NULL;
