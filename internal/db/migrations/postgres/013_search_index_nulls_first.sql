-- A search sorts records without a value below every value: first when ascending, last when
-- descending (crm search). PostgreSQL's indexes kept them last, so an index read backwards
-- gave "descending, nulls first", and a descending sort ("newest first") sorted every match
-- instead of reading the index. Each searchable property's index — (account_id, property,
-- created_at) — is made again with the property's nulls first; SQLite's indexes already
-- keep them that way.
DO $$
DECLARE
    ix record;
BEGIN
    FOR ix IN
        SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename LIKE 'crm\_%' AND indexname LIKE '%\_idx'
          AND indexdef ~ '\(account_id, .+, created_at\)$' AND indexdef NOT LIKE '%NULLS FIRST%'
    LOOP
        EXECUTE format('DROP INDEX %I', ix.indexname);
        EXECUTE regexp_replace(ix.indexdef, '\(account_id, (.+), created_at\)$', '(account_id, \1 NULLS FIRST, created_at)');
    END LOOP;
END
$$;
