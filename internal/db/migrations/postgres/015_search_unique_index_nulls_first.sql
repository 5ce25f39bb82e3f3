-- A search sorts records without a value below every value: first when ascending, last when
-- descending (crm search; migration 013 made the searchable properties' indexes again with
-- their nulls first). The one unique searchable property, a contact's email, has an index of
-- its own — (account_id, lower(email)), live records only — which kept its nulls last, so a
-- sort on email sorted every match instead of reading the index. It is made again with its
-- nulls first; SQLite's indexes already keep them that way.
DROP INDEX crm_contacts_email_idx;
CREATE UNIQUE INDEX crm_contacts_email_idx ON crm_contacts (account_id, lower(email) NULLS FIRST) WHERE archived_at IS NULL;
