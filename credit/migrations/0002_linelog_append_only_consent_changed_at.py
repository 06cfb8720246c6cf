"""On PostgreSQL the log of credit limits refuses UPDATE and DELETE in the database itself,
whatever writes to it (admin, ORM, raw SQL), like the ledger's journal (ledger/0002). SQLite
relies on the model's refusal (core.append_only.AppendOnlyModel)."""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION credit_linelog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER credit_linelog_append_only
    BEFORE UPDATE OR DELETE ON credit_linelog
    FOR EACH ROW EXECUTE FUNCTION credit_linelog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS credit_linelog_append_only ON credit_linelog;
DROP FUNCTION IF EXISTS credit_linelog_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
        # When a cooperative last gave or withdrew its consent to clearing (docs/credit.md).
        migrations.AddField(
            model_name="creditaccount",
            name="consent_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
