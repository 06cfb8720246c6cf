"""On PostgreSQL the log of credit limits refuses UPDATE and DELETE in the database itself,
whatever writes to it (admin, ORM, raw SQL), with the ledger's own trigger function
(`ledger_append_only()`, ledger/0002). SQLite relies on the model's refusal
(core.append_only.AppendOnlyModel). And when a cooperative last gave or withdrew its consent to
clearing (docs/credit.md)."""

from django.db import migrations, models

TRIGGER = "credit_linelog_append_only"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON credit_linelog "
            "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()",
            params=None,
        )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON credit_linelog", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0001_initial"),
        ("ledger", "0002_append_only_and_balanced_triggers"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
        migrations.AddField(
            model_name="creditaccount",
            name="consent_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
