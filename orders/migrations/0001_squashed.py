"""All of this app's migrations up to 2026-12-07 in one (docs/architecture.md, "Duplication").

`replaces` names the old files: a database that applied them all counts this one as applied,
and a later migration that depends on an old name depends on this one."""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models
import orders.receivables.models
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('orders', '0001_initial'),
        ('orders', '0002_settlement'),
        ('orders', '0003_order_event_kinds'),
        ('orders', '0003_settlement_shape'),
        ('orders', '0004_merge_0003_order_event_kinds_0003_settlement_shape'),
    ]

    dependencies = [
        ('cooperatives', '0001_squashed'),
        ('marketplace', '0001_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('quotes', '0001_initial'),
        ('ledger', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('cooperatives', '0001_squashed'),
    ]

    operations = [
        migrations.CreateModel(
                    name='Cart',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('cooperative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='cart', to='cooperatives.cooperative')),
                    ],
                ),
        migrations.CreateModel(
                    name='Checkout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('idempotency_key', models.CharField(max_length=255)),
                        ('request_fingerprint', models.CharField(max_length=64)),
                        ('status', models.CharField(choices=[('awaiting_payment', 'Awaiting payment'), ('placed', 'Placed'), ('cancelled', 'Cancelled')], max_length=20)),
                        ('payment_method', models.CharField(choices=[('invoice', 'Invoice (bank transfer between cooperatives)'), ('stripe', 'Card (Stripe)')], max_length=16)),
                        ('payment_status', models.CharField(choices=[('by_invoice', 'Settled by invoice'), ('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('refunded', 'Refunded')], max_length=16)),
                        ('currency', models.CharField(max_length=3)),
                        ('total_amount', models.BigIntegerField()),
                        ('fee_amount', models.BigIntegerField()),
                        ('delivery_address', models.TextField(blank=True, max_length=1000)),
                        ('note', models.TextField(blank=True, max_length=2000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('buyer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checkouts', to='cooperatives.cooperative')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                    },
                ),
        migrations.CreateModel(
                    name='InvoiceSequence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('prefix', models.CharField(max_length=20)),
                        ('last_number', models.PositiveIntegerField(default=0)),
                        ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                    ],
                ),
        migrations.CreateModel(
                    name='Order',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('placed', 'Placed'), ('accepted', 'Accepted'), ('fulfilled', 'Fulfilled'), ('completed', 'Completed'), ('declined', 'Declined'), ('cancelled', 'Cancelled')], default='placed', max_length=16)),
                        ('payment_method', models.CharField(choices=[('invoice', 'Invoice (bank transfer between cooperatives)'), ('stripe', 'Card (Stripe)')], max_length=16)),
                        ('currency', models.CharField(max_length=3)),
                        ('total_amount', models.BigIntegerField()),
                        ('fee_bps', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(10000)])),
                        ('fee_amount', models.BigIntegerField()),
                        ('seller_amount', models.BigIntegerField()),
                        ('delivery_address', models.TextField(blank=True, max_length=1000)),
                        ('note', models.TextField(blank=True, max_length=2000)),
                        ('placed_at', models.DateTimeField(auto_now_add=True)),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('fulfilled_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, help_text='When it was completed, declined or cancelled.', null=True)),
                        ('paid_at', models.DateTimeField(blank=True, null=True)),
                        ('is_flagged', models.BooleanField(default=False)),
                        ('flag_reason', models.TextField(blank=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('buyer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='purchases', to='cooperatives.cooperative')),
                        ('checkout', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='orders.checkout')),
                        ('placed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sales', to='cooperatives.cooperative')),
                    ],
                    options={
                        'ordering': ['-placed_at', '-id'],
                    },
                ),
        migrations.CreateModel(
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('author_side', models.CharField(max_length=16)),
                        ('body', models.TextField(max_length=5000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='orders.order')),
                    ],
                    options={
                        'ordering': ['order_id', 'created_at', 'id'],
                    },
                ),
        migrations.CreateModel(
                    name='Invoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('invoice', 'Invoice'), ('credit_note', 'Credit note')], max_length=16)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('sequence', models.PositiveIntegerField()),
                        ('number', models.CharField(max_length=40)),
                        ('issued_at', models.DateTimeField()),
                        ('currency', models.CharField(max_length=3)),
                        ('total_amount', models.BigIntegerField()),
                        ('fee_bps', models.PositiveIntegerField()),
                        ('fee_amount', models.BigIntegerField()),
                        ('seller_amount', models.BigIntegerField()),
                        ('seller_name', models.CharField(max_length=200)),
                        ('seller_tax_id', models.CharField(blank=True, max_length=40)),
                        ('seller_address', models.CharField(blank=True, max_length=300)),
                        ('seller_city', models.CharField(blank=True, max_length=120)),
                        ('seller_country', models.CharField(max_length=2)),
                        ('buyer_name', models.CharField(max_length=200)),
                        ('buyer_tax_id', models.CharField(blank=True, max_length=40)),
                        ('buyer_address', models.CharField(blank=True, max_length=300)),
                        ('buyer_city', models.CharField(blank=True, max_length=120)),
                        ('buyer_country', models.CharField(max_length=2)),
                        ('delivery_address', models.TextField(blank=True)),
                        ('credits', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='credit_notes', to='orders.invoice')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cooperatives.cooperative')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='orders.order')),
                    ],
                    options={
                        'ordering': ['seller_id', 'year', 'sequence'],
                    },
                ),
        migrations.CreateModel(
                    name='OrderEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('place', 'Placed'), ('accept', 'Accepted'), ('decline', 'Declined'), ('fulfil', 'Fulfilled'), ('complete', 'Completed'), ('cancel', 'Cancelled'), ('issue_invoice', 'Invoice issued'), ('issue_credit_note', 'Credit note issued'), ('mark_paid', 'Marked paid'), ('flag', 'Put aside for a moderator'), ('unflag', 'Flag cleared'), ('payment_succeeded', 'Card payment received'), ('transfer_sent', "Seller's share transferred"), ('refund_requested', "Refund to the buyer's card requested"), ('refund_succeeded', "Refunded to the buyer's card"), ('transfer_reversed', "Seller's share taken back"), ('note', 'Note')], max_length=32)),
                        ('from_status', models.CharField(blank=True, max_length=16)),
                        ('to_status', models.CharField(max_length=16)),
                        ('actor_side', models.CharField(blank=True, help_text='buyer, seller or empty.', max_length=16)),
                        ('note', models.TextField(blank=True)),
                        ('reference', models.CharField(blank=True, help_text="A provider's id (pi_, tr_, re_…) or a document number. Provider ids are shown only in the admin and the API, never on a page.", max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='orders.order')),
                    ],
                    options={
                        'ordering': ['order_id', 'created_at', 'id'],
                    },
                ),
        migrations.CreateModel(
                    name='OrderLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('unit', models.CharField(max_length=8)),
                        ('unit_price_amount', models.BigIntegerField()),
                        ('quantity', models.PositiveIntegerField()),
                        ('line_total_amount', models.BigIntegerField()),
                        ('is_stock_tracked', models.BooleanField(default=False, help_text='Stock was taken from the listing, so it is put back on cancel.')),
                        ('listing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='order_lines', to='marketplace.listing')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='orders.order')),
                    ],
                    options={
                        'ordering': ['order_id', 'id'],
                    },
                ),
        migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stripe_payment_intent_id', models.CharField(blank=True, max_length=255)),
                        ('stripe_charge_id', models.CharField(blank=True, max_length=255)),
                        ('amount', models.BigIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('amount_refunded', models.BigIntegerField(default=0, help_text='What Stripe says was refunded on the charge (charge.refunded).')),
                        ('failure_message', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('succeeded_at', models.DateTimeField(blank=True, null=True)),
                        ('failed_at', models.DateTimeField(blank=True, null=True)),
                        ('disputed_at', models.DateTimeField(blank=True, null=True)),
                        ('checkout', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='payment', to='orders.checkout')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                    },
                ),
        migrations.CreateModel(
                    name='Refund',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('attempts', models.PositiveIntegerField(default=0, help_text='Calls made to Stripe.')),
                        ('failure_message', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('stripe_id', models.CharField(blank=True, help_text="Stripe's object id.", max_length=255)),
                        ('succeeded_at', models.DateTimeField(blank=True, null=True)),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='refund', to='orders.order')),
                        ('payment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='orders.payment')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'abstract': False,
                    },
                ),
        migrations.CreateModel(
                    name='StripeEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stripe_event_id', models.CharField(max_length=255, unique=True)),
                        ('type', models.CharField(max_length=100)),
                        ('object_id', models.CharField(blank=True, max_length=255)),
                        ('account', models.CharField(blank=True, help_text='Connect events only.', max_length=255)),
                        ('livemode', models.BooleanField(default=False)),
                        ('event_created_at', models.DateTimeField()),
                        ('received_at', models.DateTimeField(auto_now_add=True)),
                        ('outcome', models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        'ordering': ['-received_at', '-id'],
                        'indexes': [models.Index(fields=['type', '-received_at'], name='stripeevent_type_received')],
                    },
                ),
        migrations.CreateModel(
                    name='Transfer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('attempts', models.PositiveIntegerField(default=0, help_text='Calls made to Stripe.')),
                        ('failure_message', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('destination', models.CharField(blank=True, help_text='Connected account id.', max_length=255)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('paid', 'Paid'), ('failed', 'Failed'), ('cancelled', 'Cancelled (the order closed before it was sent)')], default='pending', max_length=16)),
                        ('stripe_transfer_id', models.CharField(blank=True, max_length=255)),
                        ('key_attempt', models.PositiveIntegerField(default=1, help_text='The attempt number in the idempotency key; a refusal moves it on.')),
                        ('paid_at', models.DateTimeField(blank=True, null=True)),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='transfer', to='orders.order')),
                        ('payment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers', to='orders.payment')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'abstract': False,
                    },
                ),
        migrations.CreateModel(
                    name='TransferReversal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('attempts', models.PositiveIntegerField(default=0, help_text='Calls made to Stripe.')),
                        ('failure_message', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=16)),
                        ('stripe_id', models.CharField(blank=True, help_text="Stripe's object id.", max_length=255)),
                        ('succeeded_at', models.DateTimeField(blank=True, null=True)),
                        ('transfer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reversal', to='orders.transfer')),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'abstract': False,
                    },
                ),
        migrations.CreateModel(
                    name='CartLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('unit', models.CharField(max_length=8)),
                        ('quantity', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000000)])),
                        ('unit_price_amount', models.BigIntegerField()),
                        ('currency', models.CharField(max_length=3)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('added_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cart', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='orders.cart')),
                        ('listing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='marketplace.listing')),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cooperatives.cooperative')),
                    ],
                    options={
                        'ordering': ['seller_id', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('cart', 'listing'), name='cartline_one_per_listing'), models.CheckConstraint(condition=models.Q(('quantity__gte', 1), ('quantity__lte', 1000000)), name='cartline_quantity_in_range'), models.CheckConstraint(condition=models.Q(('unit_price_amount__gte', 0)), name='cartline_price_not_negative')],
                    },
                ),
        migrations.AddConstraint(
                    model_name='checkout',
                    constraint=models.UniqueConstraint(fields=('buyer', 'idempotency_key'), name='checkout_idempotency_key_per_buyer'),
                ),
        migrations.AddConstraint(
                    model_name='checkout',
                    constraint=models.CheckConstraint(condition=models.Q(('fee_amount__gte', 0), ('fee_amount__lte', models.F('total_amount')), ('total_amount__gte', 0)), name='checkout_amounts_consistent'),
                ),
        migrations.AddConstraint(
                    model_name='checkout',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['awaiting_payment', 'placed', 'cancelled'])), name='checkout_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='checkout',
                    constraint=models.CheckConstraint(condition=models.Q(('payment_status__in', ['by_invoice', 'pending', 'succeeded', 'failed', 'refunded'])), name='checkout_payment_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='checkout',
                    constraint=models.CheckConstraint(condition=models.Q(('payment_method__in', ['invoice', 'stripe'])), name='checkout_payment_method_valid'),
                ),
        migrations.AddConstraint(
                    model_name='invoicesequence',
                    constraint=models.UniqueConstraint(fields=('cooperative', 'year'), name='invoicesequence_unique'),
                ),
        migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['buyer', '-placed_at'], name='order_buyer_placed'),
                ),
        migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['seller', '-placed_at'], name='order_seller_placed'),
                ),
        migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['status', 'fulfilled_at'], name='order_status_fulfilled'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['placed', 'accepted', 'fulfilled', 'completed', 'declined', 'cancelled'])), name='order_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('buyer', models.F('seller')), _negated=True), name='order_buyer_is_not_seller'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('fee_amount__gte', 0), ('seller_amount__gte', 0), ('total_amount__gte', 0)), name='order_amounts_not_negative'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('total_amount', django.db.models.expressions.CombinedExpression(models.F('fee_amount'), '+', models.F('seller_amount')))), name='order_fee_plus_seller_is_total'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('fee_bps__lte', 10000)), name='order_fee_bps_in_range'),
                ),
        migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.UniqueConstraint(fields=('seller', 'year', 'sequence'), name='invoice_sequence_unique'),
                ),
        migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.UniqueConstraint(fields=('order', 'kind'), name='invoice_one_kind_per_order'),
                ),
        migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['invoice', 'credit_note'])), name='invoice_kind_valid'),
                ),
        migrations.AddConstraint(
                    model_name='orderevent',
                    constraint=models.CheckConstraint(condition=models.Q(('action__in', ['place', 'accept', 'decline', 'fulfil', 'complete', 'cancel', 'issue_invoice', 'issue_credit_note', 'mark_paid', 'flag', 'unflag', 'payment_succeeded', 'transfer_sent', 'refund_requested', 'refund_succeeded', 'transfer_reversed', 'note'])), name='orderevent_action_valid'),
                ),
        migrations.AddConstraint(
                    model_name='orderline',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 1), ('unit_price_amount__gte', 0)), name='orderline_quantity_and_price_valid'),
                ),
        migrations.AddConstraint(
                    model_name='orderline',
                    constraint=models.CheckConstraint(condition=models.Q(('line_total_amount', django.db.models.expressions.CombinedExpression(models.F('unit_price_amount'), '*', models.F('quantity')))), name='orderline_total_is_price_times_quantity'),
                ),
        migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.UniqueConstraint(condition=models.Q(('stripe_payment_intent_id', ''), _negated=True), fields=('stripe_payment_intent_id',), name='payment_intent_unique'),
                ),
        migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0), ('amount_refunded__gte', 0), ('amount_refunded__lte', models.F('amount'))), name='payment_amounts_consistent'),
                ),
        migrations.AddConstraint(
                    model_name='refund',
                    constraint=models.UniqueConstraint(condition=models.Q(('stripe_id', ''), _negated=True), fields=('stripe_id',), name='refund_stripe_id_unique'),
                ),
        migrations.AddConstraint(
                    model_name='refund',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='refund_amount_positive'),
                ),
        migrations.AddConstraint(
                    model_name='refund',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'succeeded', 'failed'])), name='refund_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='transfer',
                    constraint=models.UniqueConstraint(condition=models.Q(('stripe_transfer_id', ''), _negated=True), fields=('stripe_transfer_id',), name='transfer_stripe_id_unique'),
                ),
        migrations.AddConstraint(
                    model_name='transfer',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='transfer_amount_positive'),
                ),
        migrations.AddConstraint(
                    model_name='transfer',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'paid', 'failed', 'cancelled'])), name='transfer_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='transfer',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'paid'), _negated=True), models.Q(('stripe_transfer_id', ''), _negated=True), _connector='OR'), name='transfer_paid_has_stripe_id'),
                ),
        migrations.AddConstraint(
                    model_name='transfer',
                    constraint=models.CheckConstraint(condition=models.Q(('key_attempt__gte', 1)), name='transfer_key_attempt'),
                ),
        migrations.AddConstraint(
                    model_name='transferreversal',
                    constraint=models.UniqueConstraint(condition=models.Q(('stripe_id', ''), _negated=True), fields=('stripe_id',), name='transferreversal_stripe_id_unique'),
                ),
        migrations.AddConstraint(
                    model_name='transferreversal',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='transferreversal_amount_positive'),
                ),
        migrations.AddConstraint(
                    model_name='transferreversal',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'succeeded', 'failed'])), name='transferreversal_status_valid'),
                ),
        migrations.AddField(
                    model_name='order',
                    name='credit_share_bps',
                    field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(10000)]),
                ),
        migrations.AddField(
                    model_name='order',
                    name='payment_terms_days',
                    field=models.PositiveSmallIntegerField(blank=True, null=True),
                ),
        migrations.AddField(
                    model_name='order',
                    name='quote_version',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quotes.quoteversion'),
                ),
        migrations.AddConstraint(
                    model_name='order',
                    constraint=models.UniqueConstraint(condition=models.Q(('quote_version__isnull', False)), fields=('quote_version',), name='order_one_per_quote_version'),
                ),
        migrations.CreateModel(
                    name='InvoiceEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=20)),
                        ('from_status', models.CharField(blank=True, max_length=16)),
                        ('to_status', models.CharField(max_length=16)),
                        ('amount', models.BigIntegerField(default=0)),
                        ('note', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'ordering': ['invoice_id', 'created_at', 'id'],
                    },
                ),
        migrations.CreateModel(
                    name='InvoicePayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('paid_on', models.DateField()),
                        ('reference', models.CharField(blank=True, max_length=120)),
                        ('rail', models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other')], max_length=20)),
                        ('idempotency_key', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'ordering': ['invoice_id', 'created_at', 'id'],
                    },
                ),
        migrations.CreateModel(
                    name='InvoiceReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('before_due', 'Before the due date'), ('overdue', 'Overdue')], max_length=16)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                    ],
                ),
        migrations.CreateModel(
                    name='PaymentNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('paid_on', models.DateField()),
                        ('reference', models.CharField(blank=True, max_length=120)),
                        ('rail', models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other')], max_length=20)),
                        ('proof', models.FileField(storage=orders.receivables.models._private_storage, upload_to=orders.receivables.models.proof_path)),
                        ('proof_name', models.CharField(max_length=255)),
                        ('proof_content_type', models.CharField(max_length=64)),
                        ('status', models.CharField(choices=[('pending', 'Waiting for the seller'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], default='pending', max_length=16)),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('reason', models.TextField(blank=True)),
                    ],
                    options={
                        'ordering': ['invoice_id', 'sent_at', 'id'],
                    },
                ),
        migrations.RemoveConstraint(
                    model_name='orderevent',
                    name='orderevent_action_valid',
                ),
        migrations.AddField(
                    model_name='invoice',
                    name='amount_due',
                    field=models.BigIntegerField(default=0),
                ),
        migrations.AddField(
                    model_name='invoice',
                    name='amount_paid',
                    field=models.BigIntegerField(default=0),
                ),
        migrations.AddField(
                    model_name='invoice',
                    name='due_date',
                    field=models.DateField(blank=True, null=True),
                ),
        migrations.AddField(
                    model_name='invoice',
                    name='status',
                    field=models.CharField(choices=[('open', 'Open'), ('partly_paid', 'Partly paid'), ('paid', 'Paid'), ('overdue', 'Overdue'), ('written_off', 'Written off'), ('credited', 'Credited')], default='open', max_length=16),
                ),
        migrations.AlterField(
                    model_name='orderevent',
                    name='action',
                    field=models.CharField(choices=[('place', 'Placed'), ('accept', 'Accepted'), ('decline', 'Declined'), ('fulfil', 'Fulfilled'), ('complete', 'Completed'), ('cancel', 'Cancelled'), ('issue_invoice', 'Invoice issued'), ('issue_credit_note', 'Credit note issued'), ('mark_paid', 'Marked paid'), ('payment_recorded', 'Part of the invoice paid'), ('write_off', 'Invoice written off'), ('flag', 'Put aside for a moderator'), ('unflag', 'Flag cleared'), ('payment_succeeded', 'Card payment received'), ('transfer_sent', "Seller's share transferred"), ('refund_requested', "Refund to the buyer's card requested"), ('refund_succeeded', "Refunded to the buyer's card"), ('transfer_reversed', "Seller's share taken back"), ('note', 'Note')], max_length=32),
                ),
        migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.CheckConstraint(condition=models.Q(('amount_paid__gte', 0), ('amount_paid__lte', models.F('amount_due'))), name='invoice_never_overpaid'),
                ),
        migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'partly_paid', 'paid', 'overdue', 'written_off', 'credited'])), name='invoice_status_valid'),
                ),
        migrations.AddConstraint(
                    model_name='orderevent',
                    constraint=models.CheckConstraint(condition=models.Q(('action__in', ['place', 'accept', 'decline', 'fulfil', 'complete', 'cancel', 'issue_invoice', 'issue_credit_note', 'mark_paid', 'payment_recorded', 'write_off', 'flag', 'unflag', 'payment_succeeded', 'transfer_sent', 'refund_requested', 'refund_succeeded', 'transfer_reversed', 'note'])), name='orderevent_action_valid'),
                ),
        migrations.AddField(
                    model_name='invoiceevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
        migrations.AddField(
                    model_name='invoiceevent',
                    name='invoice',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='orders.invoice'),
                ),
        migrations.AddField(
                    model_name='invoicepayment',
                    name='invoice',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='orders.invoice'),
                ),
        migrations.AddField(
                    model_name='invoicepayment',
                    name='recorded_by',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
        migrations.AddField(
                    model_name='invoicereminder',
                    name='invoice',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='orders.invoice'),
                ),
        migrations.AddField(
                    model_name='paymentnotice',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
        migrations.AddField(
                    model_name='paymentnotice',
                    name='invoice',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payment_notices', to='orders.invoice'),
                ),
        migrations.AddField(
                    model_name='paymentnotice',
                    name='payment',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notice', to='orders.invoicepayment'),
                ),
        migrations.AddField(
                    model_name='paymentnotice',
                    name='sent_by',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
        migrations.AddConstraint(
                    model_name='invoicepayment',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='invoicepayment_positive'),
                ),
        migrations.AddConstraint(
                    model_name='invoicepayment',
                    constraint=models.CheckConstraint(condition=models.Q(('rail__in', ['bank_transfer', 'instant_payment', 'cash', 'other'])), name='invoicepayment_rail_valid'),
                ),
        migrations.AddConstraint(
                    model_name='invoicepayment',
                    constraint=models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('invoice', 'idempotency_key'), name='invoicepayment_idempotency_key_per_invoice'),
                ),
        migrations.AddConstraint(
                    model_name='invoicereminder',
                    constraint=models.UniqueConstraint(fields=('invoice', 'kind'), name='invoicereminder_once'),
                ),
        migrations.AddConstraint(
                    model_name='paymentnotice',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='paymentnotice_positive'),
                ),
        migrations.AddConstraint(
                    model_name='paymentnotice',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'confirmed', 'rejected'])), name='paymentnotice_status_valid'),
                ),
        migrations.RemoveConstraint(
                    model_name='invoicepayment',
                    name='invoicepayment_rail_valid',
                ),
        migrations.AlterField(
                    model_name='invoicepayment',
                    name='rail',
                    field=models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other'), ('set_off', 'Set-off'), ('credit', 'Mutual credit')], max_length=20),
                ),
        migrations.AlterField(
                    model_name='paymentnotice',
                    name='rail',
                    field=models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other'), ('set_off', 'Set-off'), ('credit', 'Mutual credit')], max_length=20),
                ),
        migrations.AddConstraint(
                    model_name='invoicepayment',
                    constraint=models.CheckConstraint(condition=models.Q(('rail__in', ['bank_transfer', 'instant_payment', 'cash', 'other', 'set_off', 'credit'])), name='invoicepayment_rail_valid'),
                ),
        migrations.CreateModel(
                    name='FeePayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('currency', models.CharField(max_length=3)),
                        ('amount', models.BigIntegerField()),
                        ('paid_on', models.DateField()),
                        ('reference', models.CharField(blank=True, max_length=120)),
                        ('rail', models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other')], max_length=20)),
                        ('idempotency_key', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('seller', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fee_payments', to='cooperatives.cooperative')),
                    ],
                    options={
                        'ordering': ['seller_id', 'created_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='feepayment_positive'), models.CheckConstraint(condition=models.Q(('rail__in', ['bank_transfer', 'instant_payment', 'cash', 'other'])), name='feepayment_rail_valid'), models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('seller', 'idempotency_key'), name='feepayment_idempotency_key_per_seller')],
                    },
                ),
        migrations.RemoveConstraint(
                    model_name='checkout',
                    name='checkout_payment_method_valid',
                ),
        migrations.AlterField(
                    model_name='checkout',
                    name='payment_method',
                    field=models.CharField(max_length=16),
                ),
        migrations.AlterField(
                    model_name='order',
                    name='payment_method',
                    field=models.CharField(max_length=16),
                ),
        migrations.RemoveConstraint(
                    model_name='feepayment',
                    name='feepayment_rail_valid',
                ),
        migrations.AlterField(
                    model_name='feepayment',
                    name='rail',
                    field=models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other'), ('set_off', 'Set-off'), ('credit', 'Mutual credit')], max_length=20),
                ),
        migrations.AddConstraint(
                    model_name='feepayment',
                    constraint=models.CheckConstraint(condition=models.Q(('rail__in', ['bank_transfer', 'instant_payment', 'cash', 'other', 'set_off', 'credit'])), name='feepayment_rail_valid'),
                ),
        migrations.CreateModel(
                    name='OrderCreditPayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.BigIntegerField()),
                        ('paid_on', models.DateField()),
                        ('reference', models.CharField(blank=True, max_length=120)),
                        ('rail', models.CharField(choices=[('bank_transfer', 'Bank transfer'), ('instant_payment', 'Instant payment (Pix, CVU…)'), ('cash', 'Cash'), ('other', 'Other'), ('set_off', 'Set-off'), ('credit', 'Mutual credit')], max_length=20)),
                        ('idempotency_key', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orders.order')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['order_id', 'created_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='ordercreditpayment_positive'), models.CheckConstraint(condition=models.Q(('rail__in', ['bank_transfer', 'instant_payment', 'cash', 'other', 'set_off', 'credit'])), name='ordercreditpayment_rail_valid'), models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('order', 'idempotency_key'), name='ordercreditpayment_idempotency_key_per_order')],
                    },
                ),
    ]
