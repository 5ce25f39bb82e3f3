CREATE TABLE accounts (
    id                             INTEGER PRIMARY KEY,
    name                           TEXT NOT NULL,
    country                        TEXT NOT NULL,
    timezone                       TEXT NOT NULL,
    language                       TEXT NOT NULL DEFAULT 'en',
    default_currency               TEXT NOT NULL,
    settlement_currency            TEXT NOT NULL,
    currencies                     TEXT NOT NULL,
    test_mode                      BOOLEAN NOT NULL DEFAULT TRUE,
    processor                      TEXT NOT NULL,
    brand_company_name             TEXT NOT NULL DEFAULT '',
    brand_logo_file_id             TEXT NOT NULL DEFAULT '',
    brand_color                    TEXT NOT NULL DEFAULT '#1F6FEB',
    setting_create_invoices        BOOLEAN NOT NULL DEFAULT FALSE,
    setting_marketing_contacts     BOOLEAN NOT NULL DEFAULT TRUE,
    setting_subscription_reminders BOOLEAN NOT NULL DEFAULT TRUE,
    created_at                     TIMESTAMP NOT NULL,
    updated_at                     TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    permissions   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_account_idx ON users (account_id, id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id, id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX sessions_hash_key ON sessions (token_hash);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
