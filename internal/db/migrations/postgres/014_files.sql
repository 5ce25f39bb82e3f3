-- Files accounts upload (logos, dispute evidence), contents included: kept in the database,
-- every replica serves them, and a file is written whole or not at all.
CREATE TABLE files (
    id           TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX files_account_idx ON files (account_id, created_at);
