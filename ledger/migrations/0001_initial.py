import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db import migrations


CREATE = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_journalentry_append_only
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER ledger_journalline_append_only
    BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE OR REPLACE FUNCTION ledger_entry_balanced() RETURNS trigger AS $$
DECLARE
    total bigint;
    foreign_lines integer;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total
        FROM ledger_journalline WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: its lines sum to %', NEW.entry_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT COUNT(*) INTO foreign_lines
        FROM ledger_journalline l
        JOIN ledger_account a ON a.id = l.account_id
        JOIN ledger_journalentry e ON e.id = l.entry_id
        WHERE l.entry_id = NEW.entry_id AND a.currency <> e.currency;
    IF foreign_lines > 0 THEN
        RAISE EXCEPTION 'journal entry % has lines on accounts of another currency', NEW.entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER ledger_entry_balanced
    AFTER INSERT ON ledger_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
"""


DROP = """
DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_journalline;
DROP FUNCTION IF EXISTS ledger_entry_balanced();
DROP TRIGGER IF EXISTS ledger_journalline_append_only ON ledger_journalline;
DROP TRIGGER IF EXISTS ledger_journalentry_append_only ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cooperatives', '0001_squashed'),
    ]

    operations = [
        migrations.CreateModel(
            name='Account',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3)),
                ('kind', models.CharField(choices=[('receivable', 'Receivable'), ('payable', 'Payable'), ('cash_in_transit', 'Cash in transit'), ('fee_payable', 'Fee payable'), ('fee_receivable', 'Fee receivable'), ('fee_income', 'Fee income'), ('bank', 'Bank or cash'), ('credit', 'Mutual credit')], max_length=20)),
                ('rail', models.CharField(blank=True, default='', max_length=20)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
            ],
            options={
                'ordering': ['owner_id', 'currency', 'kind', 'rail'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'currency', 'kind', 'rail'), name='ledger_account_unique'), models.UniqueConstraint(condition=models.Q(('owner__isnull', True)), fields=('currency', 'kind', 'rail'), name='ledger_platform_account_unique'), models.CheckConstraint(condition=models.Q(('kind__in', ['receivable', 'payable', 'cash_in_transit', 'fee_payable', 'fee_receivable', 'fee_income', 'bank', 'credit'])), name='ledger_account_kind_valid')],
            },
        ),
        migrations.CreateModel(
            name='JournalEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('invoice_issued', 'Invoice issued'), ('payment_recorded', 'Payment recorded'), ('card_payment_succeeded', 'Card payment succeeded'), ('transfer_sent', 'Transfer sent to the seller'), ('refund', 'Refund'), ('transfer_reversal', 'Transfer reversed'), ('credit_note', 'Credit note'), ('fee_due', 'Solidarity fee due'), ('fee_paid', 'Solidarity fee paid'), ('credit_transfer', 'Mutual credit transfer'), ('reversal', 'Reversal')], max_length=32)),
                ('currency', models.CharField(max_length=3)),
                ('occurred_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('posted_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('memo', models.CharField(blank=True, max_length=300)),
                ('key', models.CharField(max_length=200, unique=True)),
                ('source_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='ledger.journalentry')),
                ('source_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name_plural': 'journal entries',
                'ordering': ['occurred_at', 'id'],
                'indexes': [models.Index(fields=['source_type', 'source_id'], name='ledger_entry_source')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['invoice_issued', 'payment_recorded', 'card_payment_succeeded', 'transfer_sent', 'refund', 'transfer_reversal', 'credit_note', 'fee_due', 'fee_paid', 'credit_transfer', 'reversal'])), name='ledger_entry_kind_valid'), models.CheckConstraint(condition=models.Q(models.Q(('source_id__isnull', True), ('source_type__isnull', True)), models.Q(('source_id__isnull', False), ('source_type__isnull', False)), _connector='OR'), name='ledger_entry_source_whole')],
            },
        ),
        migrations.CreateModel(
            name='JournalLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.BigIntegerField()),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.account')),
                ('counterparty', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.journalentry')),
            ],
            options={
                'ordering': ['entry_id', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='ledger_line_not_zero')],
            },
        ),
        migrations.RunPython(
            code=create_triggers,
            reverse_code=drop_triggers,
        ),
        migrations.RemoveConstraint(
            model_name='journalentry',
            name='ledger_entry_kind_valid',
        ),
        migrations.AlterField(
            model_name='journalentry',
            name='kind',
            field=models.CharField(choices=[('invoice_issued', 'Invoice issued'), ('payment_recorded', 'Payment recorded'), ('card_payment_succeeded', 'Card payment succeeded'), ('transfer_sent', 'Transfer sent to the seller'), ('refund', 'Refund'), ('transfer_reversal', 'Transfer reversed'), ('credit_note', 'Credit note'), ('fee_due', 'Solidarity fee due'), ('fee_paid', 'Solidarity fee paid'), ('credit_transfer', 'Mutual credit transfer'), ('set_off', 'Set-off of invoices'), ('reversal', 'Reversal')], max_length=32),
        ),
        migrations.AddConstraint(
            model_name='journalentry',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['invoice_issued', 'payment_recorded', 'card_payment_succeeded', 'transfer_sent', 'refund', 'transfer_reversal', 'credit_note', 'fee_due', 'fee_paid', 'credit_transfer', 'set_off', 'reversal'])), name='ledger_entry_kind_valid'),
        ),
    ]
