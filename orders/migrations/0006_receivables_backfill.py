"""Existing invoices become receivables: the due date is the seller's payment terms after issue,
what is due is the total, an order marked paid is paid in full, and a credited invoice is
credited."""

from datetime import timedelta

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Invoice = apps.get_model("orders", "Invoice")
    for invoice in Invoice.objects.select_related("order", "seller").iterator():
        if invoice.kind == "credit_note":
            invoice.amount_due = 0
            invoice.amount_paid = 0
            invoice.status = "credited"
        else:
            invoice.amount_due = invoice.total_amount
            invoice.due_date = invoice.issued_at.date() + timedelta(
                days=invoice.seller.payment_terms_days
            )
            if invoice.order.paid_at is not None or invoice.order.payment_method == "stripe":
                invoice.amount_paid = invoice.total_amount
                invoice.status = "paid"
            if Invoice.objects.filter(credits=invoice).exists():
                invoice.status = "credited"
        invoice.save(update_fields=["amount_due", "amount_paid", "status", "due_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_receivables"),
        ("cooperatives", "0006_cooperative_payment_terms_days"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
