-- The timeline, the property history, the associations, the follow-ups done and the
-- follow-up queue take about thirteen rows for each payment recorded, and each row's
-- foreign key to accounts ran a check of its own: a trigger running SELECT … FOR KEY SHARE
-- on the account's row, the same row from every concurrent transaction of the account.
-- Foreign-key checks were 16 % of PostgreSQL's CPU while recording payments, most of them
-- on these tables (docs/performance.md, fourteenth pass).
--
-- These rows are written only by Settle's services, with the account of the record they
-- belong to (a payment, a contact…), whose own foreign key to accounts stays. What the
-- foreign keys did besides checking, removing an account's rows with the account, a
-- trigger on accounts now does: accounts are deleted seldom, rows are inserted all the time.
ALTER TABLE crm_activities DROP CONSTRAINT IF EXISTS crm_activities_account_id_fkey;
ALTER TABLE crm_property_changes DROP CONSTRAINT IF EXISTS crm_property_changes_account_id_fkey;
ALTER TABLE crm_associations DROP CONSTRAINT IF EXISTS crm_associations_account_id_fkey;
ALTER TABLE payment_followups DROP CONSTRAINT IF EXISTS payment_followups_account_id_fkey;
ALTER TABLE payment_event_queue DROP CONSTRAINT IF EXISTS payment_event_queue_account_id_fkey;

CREATE FUNCTION settle_delete_account_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM crm_activities WHERE account_id = OLD.id;
    DELETE FROM crm_property_changes WHERE account_id = OLD.id;
    DELETE FROM crm_associations WHERE account_id = OLD.id;
    DELETE FROM payment_followups WHERE account_id = OLD.id;
    DELETE FROM payment_event_queue WHERE account_id = OLD.id;
    RETURN OLD;
END
$$;

CREATE TRIGGER accounts_delete_rows BEFORE DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION settle_delete_account_rows();
