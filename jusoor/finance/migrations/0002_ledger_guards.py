"""Database guards of the ledger: entries and groups are append-only, every group balances per currency,
and an entry's currency is its account's currency. Checked by PostgreSQL itself, whatever the code does."""

from django.db import migrations

GUARDS = """
CREATE FUNCTION jusoor_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused (post a reversing group instead)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON finance_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION jusoor_ledger_append_only();
CREATE TRIGGER ledger_group_append_only BEFORE UPDATE OR DELETE ON finance_entrygroup
    FOR EACH ROW EXECUTE FUNCTION jusoor_ledger_append_only();

CREATE FUNCTION jusoor_ledger_entry_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.currency IS DISTINCT FROM (SELECT currency FROM finance_account WHERE id = NEW.account_id) THEN
        RAISE EXCEPTION 'ledger entry in % on an account kept in another currency', NEW.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_entry_currency BEFORE INSERT ON finance_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION jusoor_ledger_entry_currency();

CREATE FUNCTION jusoor_ledger_group_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT string_agg(currency || ' ' || total::text, ', ') INTO unbalanced FROM (
        SELECT currency, sum(amount) AS total FROM finance_ledgerentry
        WHERE group_id = NEW.group_id GROUP BY currency HAVING sum(amount) <> 0
    ) AS sums;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger group % does not balance: %', NEW.group_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_group_balanced AFTER INSERT ON finance_ledgerentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION jusoor_ledger_group_balanced();
"""

DROP = """
DROP TRIGGER ledger_group_balanced ON finance_ledgerentry;
DROP FUNCTION jusoor_ledger_group_balanced();
DROP TRIGGER ledger_entry_currency ON finance_ledgerentry;
DROP FUNCTION jusoor_ledger_entry_currency();
DROP TRIGGER ledger_group_append_only ON finance_entrygroup;
DROP TRIGGER ledger_entry_append_only ON finance_ledgerentry;
DROP FUNCTION jusoor_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunSQL(GUARDS, DROP)]
