-- Test clocks: how far a test-mode account's clock runs ahead of the system clock.
CREATE TABLE test_clocks (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    offset_us  INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

-- Work that falls due at a time on an account's clock, run once by whichever replica claims it.
CREATE TABLE schedule (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    due_at     TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    done_at    TIMESTAMP,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX schedule_work_key ON schedule (kind, subject, due_at);
CREATE INDEX schedule_pending_idx ON schedule (account_id, due_at) WHERE done_at IS NULL;

CREATE TABLE payouts (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    currency     TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    status       TEXT NOT NULL,
    arrival_date TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX payouts_account_idx ON payouts (account_id, id);

-- Balance transactions: every movement of an account's processor balance.
CREATE TABLE balance_transactions (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type                TEXT NOT NULL,
    source_id           TEXT NOT NULL,
    payout_id           INTEGER REFERENCES payouts (id),
    currency            TEXT NOT NULL,
    amount              INTEGER NOT NULL,
    fee                 INTEGER NOT NULL,
    net                 INTEGER NOT NULL,
    settlement_currency TEXT NOT NULL,
    settlement_amount   INTEGER NOT NULL,
    settlement_fee      INTEGER NOT NULL,
    settlement_net      INTEGER NOT NULL,
    rate                TEXT NOT NULL DEFAULT '',
    available_on        TEXT NOT NULL,
    held                BOOLEAN NOT NULL,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX balance_transactions_account_idx ON balance_transactions (account_id, id);
CREATE INDEX balance_transactions_unpaid_idx ON balance_transactions (account_id, settlement_currency, available_on)
    WHERE payout_id IS NULL;
CREATE INDEX balance_transactions_payout_idx ON balance_transactions (payout_id) WHERE payout_id IS NOT NULL;
CREATE INDEX balance_transactions_source_idx ON balance_transactions (source_id);

-- Double-entry postings, append-only: a balance is the sum of its postings.
CREATE TABLE ledger_postings (
    transaction_id INTEGER NOT NULL REFERENCES balance_transactions (id) ON DELETE CASCADE,
    account_id     INTEGER NOT NULL,
    entry          TEXT NOT NULL,
    ledger_account TEXT NOT NULL,
    currency       TEXT NOT NULL,
    amount         INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, entry, ledger_account, currency)
) WITHOUT ROWID;
CREATE INDEX ledger_postings_balance_idx ON ledger_postings (account_id, ledger_account, currency, amount);

-- The built-in processor: per-account secrets and fee overrides, tokens, charges, refunds,
-- disputes, and the events it emits.
CREATE TABLE processor_accounts (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    fingerprint_key TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE processor_fees (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    method      TEXT NOT NULL,
    percent     TEXT NOT NULL,
    fixed_minor INTEGER NOT NULL,
    cap_minor   INTEGER,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, method)
);

CREATE TABLE payment_methods (
    id           TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    brand        TEXT NOT NULL DEFAULT '',
    last4        TEXT NOT NULL,
    exp_month    INTEGER NOT NULL DEFAULT 0,
    exp_year     INTEGER NOT NULL DEFAULT 0,
    bank_code    TEXT NOT NULL DEFAULT '',
    holder       TEXT NOT NULL DEFAULT '',
    fingerprint  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX payment_methods_account_idx ON payment_methods (account_id, created_at);

CREATE TABLE processor_charges (
    id                TEXT PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    payment_method_id TEXT NOT NULL REFERENCES payment_methods (id),
    method            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    settlement_currency TEXT NOT NULL,
    rate              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    failure_code      TEXT NOT NULL DEFAULT '',
    refunded          INTEGER NOT NULL DEFAULT 0,
    disputed          BOOLEAN NOT NULL DEFAULT FALSE,
    transaction_id    INTEGER REFERENCES balance_transactions (id),
    description       TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX processor_charges_account_idx ON processor_charges (account_id, created_at);

CREATE TABLE processor_refunds (
    id         TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    charge_id  TEXT NOT NULL REFERENCES processor_charges (id),
    currency   TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX processor_refunds_charge_idx ON processor_refunds (charge_id);

CREATE TABLE processor_disputes (
    id         TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    charge_id  TEXT NOT NULL REFERENCES processor_charges (id),
    currency   TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_at  TIMESTAMP
);
CREATE UNIQUE INDEX processor_disputes_charge_key ON processor_disputes (charge_id);

CREATE TABLE processor_events (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    applied_at TIMESTAMP
);
CREATE UNIQUE INDEX processor_events_id_key ON processor_events (id);
CREATE INDEX processor_events_account_idx ON processor_events (account_id, seq);
