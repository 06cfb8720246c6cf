"""The books start complete: an entry for every invoice, credit note, card payment, transfer,
refund, transfer reversal and payment marked before the ledger existed, with the rules of
`orders.books` (pure functions of the rows) written through the historical models. Keys are the
ones the services use, so nothing is posted twice; an empty database posts nothing."""

from django.db import migrations

from orders import books

SOURCE_QUERIES = [
    ("Invoice", ("order__buyer", "order__seller", "credits"), {}),
    ("Order", ("buyer", "seller"), {"paid_at__isnull": False}),
    ("Transfer", ("order__buyer", "order__seller"), {"status": "paid"}),
    ("Refund", ("order__buyer", "order__seller"), {"status": "succeeded"}),
    (
        "TransferReversal",
        ("transfer__order__buyer", "transfer__order__seller"),
        {"status": "succeeded"},
    ),
]


def _postings(apps):
    for model_name, related, filters in SOURCE_QUERIES:
        model = apps.get_model("orders", model_name)
        for row in model.objects.filter(**filters).select_related(*related).order_by("pk"):
            if model_name == "Invoice":
                rule = books.credit_note if row.kind == "credit_note" else books.invoice_issued
            elif model_name == "Order":
                rule = books.card_payment if row.payment_method == "stripe" else books.marked_paid
            else:
                rule = {
                    "Transfer": books.transfer_sent,
                    "Refund": books.refund,
                    "TransferReversal": books.transfer_reversal,
                }[model_name]
            yield rule(row)


def post_existing(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    JournalEntry = apps.get_model("ledger", "JournalEntry")
    JournalLine = apps.get_model("ledger", "JournalLine")
    ContentType = apps.get_model("contenttypes", "ContentType")

    def write(posting):
        entry = JournalEntry.objects.filter(key=posting.key).first()
        if entry is not None:
            return entry
        reverses = write(posting.reverses) if posting.reverses is not None else None
        source_type = None
        if posting.source is not None:
            meta = posting.source._meta
            source_type, _ = ContentType.objects.get_or_create(
                app_label=meta.app_label, model=meta.model_name
            )
        entry = JournalEntry.objects.create(
            kind=posting.kind,
            currency=posting.currency,
            key=posting.key,
            occurred_at=posting.occurred_at or posting.source.updated_at,
            memo=posting.memo[:300],
            source_type=source_type,
            source_id=posting.source.pk if posting.source is not None else None,
            reverses=reverses,
        )
        lines = []
        for line in posting.lines:
            if not line.amount:
                continue
            account, _ = Account.objects.get_or_create(
                owner_id=getattr(line.owner, "pk", None),
                currency=posting.currency,
                kind=str(line.kind),
                rail=line.rail,
            )
            lines.append(
                JournalLine(
                    entry=entry,
                    account=account,
                    amount=line.amount,
                    counterparty_id=getattr(line.counterparty, "pk", None),
                )
            )
        if sum(line.amount for line in lines):
            raise ValueError(f"{posting.key} does not balance")
        JournalLine.objects.bulk_create(lines)
        return entry

    for posting in _postings(apps):
        write(posting)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_merge_0003_order_event_kinds_0003_settlement_shape"),
        ("ledger", "0002_append_only_and_balanced_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(post_existing, migrations.RunPython.noop)]
