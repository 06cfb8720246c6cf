import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('cooperatives', '0001_squashed'),
        ('orders', '0001_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClearingRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3)),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('executed', 'Executed')], default='proposed', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('volume_amount', models.BigIntegerField(default=0)),
                ('cleared_amount', models.BigIntegerField(default=0)),
                ('invoice_count', models.PositiveIntegerField(default=0)),
                ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('executed_at', models.DateTimeField(blank=True, null=True)),
                ('executed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('period', models.CharField(blank=True, default='', max_length=7)),
            ],
            options={
                'verbose_name': 'clearing run',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('cleared_amount__gte', 0), ('cleared_amount__lte', models.F('volume_amount'))), name='clearingrun_cleared_within_volume'), models.CheckConstraint(condition=models.Q(('status__in', ['proposed', 'executed'])), name='clearingrun_status_valid'), models.UniqueConstraint(condition=models.Q(('period', ''), _negated=True), fields=('currency', 'period'), name='clearingrun_once_per_period')],
            },
        ),
        migrations.CreateModel(
            name='ClearingPosition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('owed_before', models.BigIntegerField()),
                ('owing_before', models.BigIntegerField()),
                ('owed_after', models.BigIntegerField()),
                ('owing_after', models.BigIntegerField()),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='positions', to='clearing.clearingrun')),
            ],
            options={
                'ordering': ['run', 'cooperative_id'],
                'constraints': [models.UniqueConstraint(fields=('run', 'cooperative'), name='clearingposition_once_per_run'), models.CheckConstraint(condition=models.Q(('owed_after__gte', 0), ('owed_before__gte', models.F('owed_after')), ('owing_after__gte', 0), ('owing_before__gte', models.F('owing_after')), ('owed_before', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('owing_before'), '+', models.F('owed_after')), '-', models.F('owing_after')))), name='clearingposition_net_unchanged')],
            },
        ),
        migrations.CreateModel(
            name='ClearingItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount_left', models.BigIntegerField()),
                ('setoff_amount', models.BigIntegerField()),
                ('creditor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                ('debtor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orders.invoice')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='clearing.clearingrun')),
            ],
            options={
                'ordering': ['run', 'id'],
                'constraints': [models.UniqueConstraint(fields=('run', 'invoice'), name='clearingitem_once_per_run'), models.CheckConstraint(condition=models.Q(('setoff_amount__gt', 0), ('setoff_amount__lte', models.F('amount_left'))), name='clearingitem_setoff_within_left')],
            },
        ),
        migrations.CreateModel(
            name='ClearingRunEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=16)),
                ('from_status', models.CharField(max_length=16)),
                ('to_status', models.CharField(max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='clearing.clearingrun')),
            ],
            options={
                'ordering': ['run', 'created_at', 'id'],
            },
        ),
    ]
