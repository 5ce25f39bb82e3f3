-- A payment marks the events its charge or refund emitted before it was recorded as applied;
-- this finds them without reading the account's whole event log.
CREATE INDEX processor_events_unapplied_idx ON processor_events (account_id, object_id) WHERE applied_at IS NULL;
