-- Deleted versions whose files may still be in storage: written in the transaction that deletes the version (or its
-- model), removed once storage holds nothing of it. A crash between the two leaves the clean-up to be finished at
-- the next start, never files nothing can reach. Version ids are never reused, so a record can never name a live
-- version.
CREATE TABLE deleted_version (
    version_id BIGINT PRIMARY KEY,
    project_id BIGINT NOT NULL
);
