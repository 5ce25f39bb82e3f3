-- PostgreSQL's timeline, property history, associations, follow-ups and follow-up queue
-- lose their foreign key to accounts by this migration, and a trigger on accounts removes
-- their rows with the account instead (see the PostgreSQL file). SQLite's keep theirs:
-- its check is one lookup in the accounts table, without a lock, and dropping a foreign
-- key here means copying the table. Here it does nothing.
SELECT 1;
