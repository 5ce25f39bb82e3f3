-- The public tokens of invoices and quotes: a buyer pays an invoice at /invoices/pay/{token}
-- and accepts a quote at /quotes/{token}, and a checkout names them by it. A token is random
-- and unguessable, unique across accounts because it alone identifies the account, and each
-- invoice or quote has at most one, made when it is first needed.
CREATE TABLE checkout_tokens (
    token       TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX checkout_tokens_object_key ON checkout_tokens (account_id, object_type, object_id);

-- A subscription started by a quote's checkout keeps its quote here; its link_id is then 0.
ALTER TABLE checkout_subscriptions ADD COLUMN quote_id INTEGER;
