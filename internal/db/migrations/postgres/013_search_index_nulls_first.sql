-- A search sorts records without a value below every value: first when ascending, last when
-- descending (crm search). PostgreSQL's indexes kept them last, so an index read backwards
-- gave "descending, nulls first", and a descending sort ("newest first") sorted every match
-- instead of reading the index. Each searchable property's index — (account_id, property,
-- created_at) — is made again with the property's nulls first; SQLite's indexes already
-- keep them that way.
--
-- The indexes are picked from this schema's own before their definitions are read: the
-- pg_indexes view may read the definition of any index in the database first, and one that
-- another schema drops meanwhile fails the read ("could not open relation").
DO $$
DECLARE
    ix record;
    def text;
BEGIN
    FOR ix IN
        WITH mine AS MATERIALIZED (
            SELECT c.oid, c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_index i ON i.indexrelid = c.oid
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE n.nspname = current_schema() AND c.relkind = 'i'
              AND t.relname LIKE 'crm\_%' AND c.relname LIKE '%\_idx')
        SELECT relname, oid FROM mine
    LOOP
        def := pg_get_indexdef(ix.oid);
        IF def ~ '\(account_id, .+, created_at\)$' AND def NOT LIKE '%NULLS FIRST%' THEN
            EXECUTE format('DROP INDEX %I', ix.relname);
            EXECUTE regexp_replace(def, '\(account_id, (.+), created_at\)$', '(account_id, \1 NULLS FIRST, created_at)');
        END IF;
    END LOOP;
END
$$;
