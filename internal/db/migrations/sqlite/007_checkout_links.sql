-- Payment links. A link's line items are a JSON array in items: they are always read and
-- written whole with their link, never queried or referenced one by one, so a child table
-- would cost a join and a write per item for nothing; TEXT holds the same JSON on both
-- engines. The slug is the public name of a link in /pay/{slug} and in a checkout, unique
-- across accounts because it alone identifies the account.
CREATE TABLE checkout_links (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    slug                    TEXT NOT NULL,
    name                    TEXT NOT NULL,
    currency                TEXT NOT NULL,
    items                   TEXT NOT NULL,
    methods                 TEXT NOT NULL,
    allow_quantity          BOOLEAN NOT NULL DEFAULT FALSE,
    collect_billing_address BOOLEAN NOT NULL DEFAULT FALSE,
    active                  BOOLEAN NOT NULL DEFAULT TRUE,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX checkout_links_slug_key ON checkout_links (slug);
CREATE INDEX checkout_links_account_idx ON checkout_links (account_id, id);

-- The billing schedule of each subscription a checkout started. The CRM record shows it;
-- this row keeps it exactly: a custom frequency such as "every 10 days" has no value in the
-- CRM's billing-frequency enumeration. Every due date is computed from anchor_at.
CREATE TABLE checkout_subscriptions (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL,
    link_id         INTEGER NOT NULL,
    payment_id      INTEGER NOT NULL,
    frequency       TEXT NOT NULL,
    payments        INTEGER NOT NULL,
    anchor_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, subscription_id)
);
