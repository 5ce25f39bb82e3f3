-- The payment events whose follow-ups (receipt, notification, invoice, workflows, webhooks)
-- have yet to run. The transaction that records an event adds its row; the follow-up runner
-- takes rows in batches, records each follow-up in payment_followups and deletes the row in
-- one transaction. A row that fails waits until run_after and is tried again, at most 25
-- times, keeping its last error for an operator.
CREATE TABLE payment_event_queue (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    payment_id INTEGER NOT NULL,
    event      TEXT NOT NULL,
    kinds      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    run_after  TIMESTAMP NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
