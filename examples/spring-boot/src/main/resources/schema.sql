CREATE TABLE IF NOT EXISTS app_tokens (
    token_sha256 CHAR(64) PRIMARY KEY,
    username VARCHAR(255) NOT NULL,
    scopes VARCHAR(255) NOT NULL
);
