-- SQLite's searchable-property indexes become live-only by this migration (see the SQLite
-- file). PostgreSQL's stay whole: it keeps statistics on the lower(…) expression of an index,
-- which let it estimate text filters, but uses them only from indexes without a predicate;
-- and its count of a search's matches was within its target already. Here it does nothing.
SELECT 1;
