import django.db.models.deletion
from django.conf import settings
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
    initial = True

    dependencies = [
        ('cooperatives', '0001_squashed'),
        ('ledger', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('ledger', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='CreditSystem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3, unique=True)),
                ('name', models.CharField(max_length=120)),
                ('default_upper_limit', models.BigIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['currency'],
                'constraints': [models.CheckConstraint(condition=models.Q(('default_upper_limit__gte', 0)), name='creditsystem_upper_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='CreditAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lower_limit', models.BigIntegerField(default=0)),
                ('upper_limit', models.BigIntegerField(default=0)),
                ('clearing_consent', models.BooleanField(default=True)),
                ('joined_at', models.DateTimeField(auto_now_add=True)),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_accounts', to='cooperatives.cooperative')),
                ('ledger_account', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.account')),
                ('system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='credit.creditsystem')),
            ],
            options={
                'ordering': ['system', 'cooperative_id'],
                'constraints': [models.UniqueConstraint(fields=('system', 'cooperative'), name='creditaccount_once_per_system'), models.CheckConstraint(condition=models.Q(('lower_limit__lte', 0), ('upper_limit__gte', 0)), name='creditaccount_limits_around_zero')],
            },
        ),
        migrations.CreateModel(
            name='CreditTerms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField()),
                ('text', models.TextField()),
                ('published_at', models.DateTimeField(auto_now_add=True)),
                ('system', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='credit.creditsystem')),
            ],
            options={
                'verbose_name_plural': 'credit terms',
                'ordering': ['system', 'version'],
                'constraints': [models.UniqueConstraint(fields=('system', 'version'), name='creditterms_version_once')],
            },
        ),
        migrations.CreateModel(
            name='LineLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lower_before', models.BigIntegerField()),
                ('upper_before', models.BigIntegerField()),
                ('lower_after', models.BigIntegerField()),
                ('upper_after', models.BigIntegerField()),
                ('reason', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='log', to='credit.creditaccount')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('set_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['account', 'created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='LineRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lower_limit', models.BigIntegerField()),
                ('upper_limit', models.BigIntegerField()),
                ('reason', models.TextField()),
                ('status', models.CharField(choices=[('pending', 'Waiting for a second committee member'), ('applied', 'Applied')], default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='credit.creditaccount')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['account', 'created_at', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('lower_limit__lte', 0), ('upper_limit__gte', 0)), name='linerequest_limits_around_zero'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'applied'])), name='linerequest_status_valid'), models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('requested_by')), _negated=True), _connector='OR'), name='linerequest_four_eyes')],
            },
        ),
        migrations.CreateModel(
            name='TermsAcceptance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('accepted_at', models.DateTimeField(auto_now_add=True)),
                ('accepted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acceptances', to='credit.creditaccount')),
                ('terms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='credit.creditterms')),
            ],
            options={
                'ordering': ['account', 'accepted_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('account', 'terms'), name='termsacceptance_once')],
            },
        ),
        migrations.RunPython(
            code=create_trigger,
            reverse_code=drop_trigger,
        ),
        migrations.AddField(
            model_name='creditaccount',
            name='consent_changed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
