-- Each account's last invoice number. Finalizing an invoice takes the next one by updating
-- this row in the finalizing transaction: the row stays locked until that transaction ends,
-- so numbers are handed out one at a time, and a finalize that rolls back gives its number
-- back. Invoice numbers therefore have no gaps.
CREATE TABLE invoice_numbers (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    last_number INTEGER NOT NULL
);

-- Each request to email an invoice, and when the job that emails it ran.
CREATE TABLE invoice_sends (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    invoice_id   INTEGER NOT NULL,
    recipient    TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    emailed_at   TIMESTAMP
);
CREATE INDEX invoice_sends_invoice_idx ON invoice_sends (account_id, invoice_id, id);
