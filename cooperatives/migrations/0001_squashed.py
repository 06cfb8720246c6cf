"""All of this app's migrations up to 2026-12-07 in one (docs/architecture.md, "Duplication").

`replaces` names the old files: a database that applied them all counts this one as applied,
and a later migration that depends on an old name depends on this one."""

import cooperatives.models
import core.reference
import core.text
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('cooperatives', '0001_initial'),
        ('cooperatives', '0002_country_is_iso_3166'),
        ('cooperatives', '0003_one_line_text'),
        ('cooperatives', '0003_payout_details'),
        ('cooperatives', '0003_time_zone'),
        ('cooperatives', '0004_merge_0003_payout_details_0003_time_zone'),
        ('cooperatives', '0005_merge_20261207_0044'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Cooperative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, validators=[core.text.OneLineValidator()])),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('legal_form', models.CharField(choices=[('worker', 'Worker cooperative'), ('recuperated', 'Worker-recuperated enterprise'), ('producer', 'Producer cooperative'), ('consumer', 'Consumer cooperative'), ('platform', 'Platform cooperative'), ('multi_stakeholder', 'Multi-stakeholder cooperative'), ('housing', 'Housing cooperative'), ('credit', 'Credit union or financial cooperative'), ('second_degree', 'Federation (second-degree cooperative)'), ('other', 'Other social and solidarity enterprise')], max_length=32)),
                ('sector', models.CharField(choices=[('food', 'Food and agriculture'), ('textiles', 'Textiles and clothing'), ('printing', 'Printing and publishing'), ('metalwork', 'Metalwork and machinery'), ('construction', 'Construction'), ('furniture', 'Furniture and woodwork'), ('care', 'Cleaning and care services'), ('logistics', 'Logistics and transport'), ('software', 'Software and digital services'), ('education', 'Education and training'), ('hospitality', 'Hospitality'), ('recycling', 'Recycling'), ('energy', 'Energy'), ('health', 'Health'), ('other', 'Other')], max_length=32)),
                ('country', models.CharField(help_text='ISO 3166-1 alpha-2', max_length=2, validators=[core.reference.validate_country_code])),
                ('region', models.CharField(blank=True, max_length=120, validators=[core.text.OneLineValidator()])),
                ('time_zone', models.CharField(blank=True, help_text="IANA name (America/Montevideo); its country's zone when left blank.", max_length=64, validators=[core.reference.validate_time_zone])),
                ('city', models.CharField(blank=True, max_length=120, validators=[core.text.OneLineValidator()])),
                ('founded_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1800), django.core.validators.MaxValueValidator(2100)])),
                ('member_count', models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(10000000)])),
                ('description', models.TextField(blank=True, max_length=5000, validators=[core.text.MultiLineValidator()])),
                ('description_language', models.CharField(blank=True, max_length=10)),
                ('logo', models.ImageField(blank=True, upload_to=cooperatives.models.logo_path)),
                ('website', models.URLField(blank=True)),
                ('contact_email', models.EmailField(blank=True, max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40, validators=[core.text.OneLineValidator()])),
                ('tax_id', models.CharField(blank=True, help_text='CUIT, RUT, CNPJ, NIF…', max_length=40, validators=[core.text.OneLineValidator()])),
                ('address', models.CharField(blank=True, max_length=300, validators=[core.text.OneLineValidator()])),
                ('is_recuperated', models.BooleanField(default=False)),
                ('verification_status', models.CharField(choices=[('unverified', 'Unverified'), ('pending', 'Verification pending'), ('verified', 'Verified'), ('suspended', 'Suspended')], default='unverified', max_length=16)),
                ('verified_at', models.DateTimeField(blank=True, null=True)),
                ('stripe_account_id', models.CharField(blank=True, max_length=64)),
                ('is_payouts_enabled', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('payment_terms_days', models.PositiveSmallIntegerField(default=30, help_text="Days a buyer has to pay this cooperative's invoices (the due date's default).", validators=[django.core.validators.MaxValueValidator(365)])),
                ('credit_share_bps', models.PositiveIntegerField(default=0, help_text='Share of a price this cooperative accepts in mutual credit (0-10000 bps).', validators=[django.core.validators.MaxValueValidator(10000)])),
            ],
            options={
                'ordering': ['name'],
                'indexes': [models.Index(fields=['country', 'sector'], name='cooperative_country_d729f2_idx'), models.Index(fields=['verification_status'], name='cooperative_verific_421790_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('verification_status__in', ['unverified', 'pending', 'verified', 'suspended'])), name='cooperative_verification_status_valid'), models.CheckConstraint(condition=models.Q(('credit_share_bps__lte', 10000)), name='cooperative_credit_share_range')],
            },
        ),
        migrations.CreateModel(
            name='PayoutDetails',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', models.CharField(help_text='ISO 3166-1 alpha-2: whose rules apply', max_length=2)),
                ('account_holder', models.CharField(max_length=200)),
                ('holder_tax_id', models.CharField(blank=True, help_text='CUIT, RUT, CNPJ, NIF…', max_length=40)),
                ('cbu', models.CharField(blank=True, help_text='Argentina: CBU or CVU', max_length=22)),
                ('alias', models.CharField(blank=True, help_text='Argentina: CBU/CVU alias', max_length=20)),
                ('pix_key_type', models.CharField(blank=True, max_length=8)),
                ('pix_key', models.CharField(blank=True, max_length=77)),
                ('bank_name', models.CharField(blank=True, max_length=120)),
                ('bank_code', models.CharField(blank=True, max_length=20)),
                ('branch', models.CharField(blank=True, max_length=20)),
                ('account_number', models.CharField(blank=True, max_length=40)),
                ('iban', models.CharField(blank=True, max_length=34)),
                ('bic', models.CharField(blank=True, max_length=11)),
                ('notes', models.CharField(blank=True, max_length=500)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('cooperative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='payout_details', to='cooperatives.cooperative')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'payout details',
            },
        ),
        migrations.CreateModel(
            name='VerificationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.TextField(blank=True, max_length=2000)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_reason', models.TextField(blank=True)),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verification_requests', to='cooperatives.cooperative')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('cooperative',), name='verification_one_pending_per_cooperative')],
            },
        ),
        migrations.CreateModel(
            name='VerificationDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=cooperatives.models.private_storage, upload_to=cooperatives.models.document_path)),
                ('original_name', models.CharField(max_length=255)),
                ('content_type', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='cooperatives.verificationrequest')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254)),
                ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('member', 'Member')], default='member', max_length=16)),
                ('token', models.CharField(default=cooperatives.models.invitation_token, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField(default=cooperatives.models.invitation_expiry)),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='cooperatives.cooperative')),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(models.F('cooperative'), django.db.models.functions.text.Lower('email'), condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True)), name='invitation_one_open_per_email')],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('member', 'Member')], default='member', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='cooperatives.cooperative')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['cooperative_id', 'id'],
                'constraints': [models.UniqueConstraint(fields=('user', 'cooperative'), name='membership_unique'), models.CheckConstraint(condition=models.Q(('role__in', ['owner', 'admin', 'member'])), name='membership_role_valid')],
            },
        ),
    ]
