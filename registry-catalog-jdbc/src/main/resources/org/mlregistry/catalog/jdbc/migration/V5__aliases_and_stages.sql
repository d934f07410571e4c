-- A model's aliases (MLflow's registered-model aliases: "champion" -> a version of the model). A version's deletion
-- takes its aliases with it; a model's deletion takes them all.
CREATE TABLE model_alias (
    model_id   BIGINT       NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    alias      VARCHAR(255) NOT NULL,
    version_id BIGINT       NOT NULL REFERENCES model_version (id) ON DELETE CASCADE,
    PRIMARY KEY (model_id, alias)
);

-- A version's MLflow stage (Staging, Production, Archived) for clients that still use stages; a version without a row
-- is in none. Its deletion takes the row with it.
CREATE TABLE model_version_stage (
    version_id BIGINT      NOT NULL PRIMARY KEY REFERENCES model_version (id) ON DELETE CASCADE,
    stage      VARCHAR(20) NOT NULL
);
