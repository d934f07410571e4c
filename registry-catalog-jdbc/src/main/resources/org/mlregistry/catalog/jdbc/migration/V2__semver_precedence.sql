-- A model's versions are unique by semantic-version precedence: build metadata does not make a second version
-- (1.0.0+a and 1.0.0+b are one), as SemVer 2.0.0 gives them equal precedence. semver_key is the version without
-- its build metadata. Versions stored before this migration that collide keep their rows: the oldest keeps the
-- plain key, each later one gets '#<id>' appended, which no semantic version can contain.
ALTER TABLE model_version ADD COLUMN semver_key VARCHAR(300); -- 255 and a '#<id>' suffix

UPDATE model_version SET semver_key = CASE
    WHEN POSITION('+' IN semver) > 0 THEN SUBSTRING(semver FROM 1 FOR POSITION('+' IN semver) - 1)
    ELSE semver END;

UPDATE model_version SET semver_key = semver_key || '#' || CAST(id AS VARCHAR(20))
WHERE EXISTS (SELECT 1 FROM model_version o
              WHERE o.model_id = model_version.model_id AND o.semver_key = model_version.semver_key AND o.id < model_version.id);

ALTER TABLE model_version ALTER COLUMN semver_key SET NOT NULL;

ALTER TABLE model_version ADD CONSTRAINT uq_model_version_precedence UNIQUE (model_id, semver_key);
