-- Events delivered from outside the transaction that made them (a connected processor's
-- webhooks) can arrive in any order; each is stored with the charge it concerns, so that
-- the events of one charge still waiting for an earlier one are found without reading the
-- account's whole event log. Events the built-in processor emits and applies at once leave
-- it empty and stay out of the index.
ALTER TABLE processor_events ADD COLUMN charge_id TEXT;
CREATE INDEX processor_events_charge_idx ON processor_events (account_id, charge_id, created_at, id)
    WHERE applied_at IS NULL AND charge_id IS NOT NULL;
