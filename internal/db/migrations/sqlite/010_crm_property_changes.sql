-- A record's property history, one row per write instead of one per property: changes is a
-- JSON object of every property the write set (name → value as text, null when cleared).
-- A payment's creation sets two dozen properties; they are now one row and one index entry.
CREATE TABLE crm_property_changes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    source_type TEXT NOT NULL,
    source_id   TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL
);
CREATE INDEX crm_property_changes_object_idx ON crm_property_changes (account_id, object_type, object_id, id);

INSERT INTO crm_property_changes (account_id, object_type, object_id, changed_at, source_type, source_id, changes)
SELECT account_id, object_type, object_id, changed_at, source_type, source_id, json_group_object(property, value)
FROM crm_property_history
GROUP BY account_id, object_type, object_id, changed_at, source_type, source_id
ORDER BY min(id);

DROP TABLE crm_property_history;
