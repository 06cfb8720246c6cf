"""Refunds made in Stripe's dashboard are `Refund` rows too (`source` outside), so an order may
have several refunds; Minga's own stay one per order."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

MANY_PER_ORDER = models.ForeignKey(
    on_delete=django.db.models.deletion.PROTECT, related_name="refunds", to="orders.order"
)
SOURCES = [("minga", "Asked by Minga"), ("outside", "Made at Stripe, outside Minga")]
CONSTRAINTS = [
    models.UniqueConstraint(
        condition=~Q(stripe_id="") & Q(source="minga"),
        fields=("stripe_id",),
        name="refund_stripe_id_unique",
    ),
    models.UniqueConstraint(
        condition=Q(source="minga"), fields=("order",), name="refund_once_by_minga"
    ),
    models.UniqueConstraint(
        condition=Q(source="outside"), fields=("stripe_id", "order"), name="refund_outside_once"
    ),
    models.CheckConstraint(
        condition=Q(source__in=["minga", "outside"]), name="refund_source_valid"
    ),
]


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_squashed")]

    operations = [
        migrations.RemoveConstraint(model_name="refund", name="refund_stripe_id_unique"),
        migrations.AddField(
            model_name="refund",
            name="source",
            field=models.CharField(choices=SOURCES, default="minga", max_length=16),
        ),
        migrations.AlterField(model_name="refund", name="order", field=MANY_PER_ORDER),
        *(migrations.AddConstraint(model_name="refund", constraint=c) for c in CONSTRAINTS),
    ]
