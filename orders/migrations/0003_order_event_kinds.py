"""Order event kinds become an enum (orders/events.py): the old free strings are mapped to its
members, and the provider ids written inside notes ("Paid by card (pi_…).") move to `reference`,
which pages never show. Invoice numbers move from "Invoice F-2026-1" notes to `reference` too."""

import re

from django.conf import settings
from django.db import migrations, models

KINDS = [
    "place",
    "accept",
    "decline",
    "fulfil",
    "complete",
    "cancel",
    "issue_invoice",
    "issue_credit_note",
    "mark_paid",
    "flag",
    "unflag",
    "payment_succeeded",
    "transfer_sent",
    "refund_requested",
    "refund_succeeded",
    "transfer_reversed",
    "note",
]
RENAMED = {
    "transfer": "transfer_sent",
    "refund": "refund_succeeded",
    "transfer_reversal": "transfer_reversed",
}
SYSTEM_KINDS = {"payment_succeeded", "transfer_sent", "refund_succeeded", "transfer_reversed"}
PROVIDER_ID = re.compile(r"\s*\(((?:pi|tr|trr|re|ch|py)_[A-Za-z0-9_]+)\)")
DOCUMENT_NOTE = re.compile(r"^(?:Invoice|Credit note) (\S+)$")


def to_kinds(apps, schema_editor):  # type: ignore[no-untyped-def]
    OrderEvent = apps.get_model("orders", "OrderEvent")
    for event in OrderEvent.objects.exclude(action__in=KINDS[:11]).iterator():
        action = RENAMED.get(event.action, event.action)
        if action not in KINDS:
            event.note = f"{event.action}: {event.note}" if event.note else event.action
            action = "note"
        event.action = action
        found = PROVIDER_ID.search(event.note) if action in SYSTEM_KINDS else None
        if found:
            event.reference = found.group(1)
            event.note = PROVIDER_ID.sub("", event.note)
        event.save(update_fields=["action", "note", "reference"])
    documents = OrderEvent.objects.filter(action__in=("issue_invoice", "issue_credit_note"))
    for event in documents.iterator():
        found = DOCUMENT_NOTE.match(event.note)
        if found:
            event.reference, event.note = found.group(1), ""
            event.save(update_fields=["note", "reference"])


def to_strings(apps, schema_editor):  # type: ignore[no-untyped-def]
    OrderEvent = apps.get_model("orders", "OrderEvent")
    for old, new in RENAMED.items():
        OrderEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_settlement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="orderevent",
            name="reference",
            field=models.CharField(
                blank=True,
                help_text="A provider's id (pi_, tr_, re_…) or a document number. Provider ids "
                "are shown only in the admin and the API, never on a page.",
                max_length=255,
            ),
        ),
        migrations.RunPython(to_kinds, to_strings),
        migrations.AlterField(
            model_name="orderevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("place", "Placed"),
                    ("accept", "Accepted"),
                    ("decline", "Declined"),
                    ("fulfil", "Fulfilled"),
                    ("complete", "Completed"),
                    ("cancel", "Cancelled"),
                    ("issue_invoice", "Invoice issued"),
                    ("issue_credit_note", "Credit note issued"),
                    ("mark_paid", "Marked paid"),
                    ("flag", "Put aside for a moderator"),
                    ("unflag", "Flag cleared"),
                    ("payment_succeeded", "Card payment received"),
                    ("transfer_sent", "Seller's share transferred"),
                    ("refund_requested", "Refund to the buyer's card requested"),
                    ("refund_succeeded", "Refunded to the buyer's card"),
                    ("transfer_reversed", "Seller's share taken back"),
                    ("note", "Note"),
                ],
                max_length=32,
            ),
        ),
        migrations.AddConstraint(
            model_name="orderevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", KINDS)), name="orderevent_action_valid"
            ),
        ),
    ]
