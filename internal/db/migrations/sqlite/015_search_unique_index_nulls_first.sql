-- A search sorts records without a value below every value: first when ascending, last when
-- descending. SQLite's indexes keep nulls first already, so only PostgreSQL's unique index on
-- a contact's email is made again by this migration (see the PostgreSQL file); here it does
-- nothing.
SELECT 1;
