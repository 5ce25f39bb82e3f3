CREATE TABLE payment_refunds (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    payment_id          INTEGER NOT NULL,
    processor_refund_id TEXT,
    amount              INTEGER NOT NULL,
    currency            TEXT NOT NULL,
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    settled_at          TIMESTAMP
);
CREATE INDEX payment_refunds_payment_idx ON payment_refunds (account_id, payment_id, id);
CREATE UNIQUE INDEX payment_refunds_processor_key ON payment_refunds (processor_refund_id);

CREATE TABLE payment_followups (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    payment_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    event      TEXT NOT NULL,
    ran_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, payment_id, kind, event)
);
