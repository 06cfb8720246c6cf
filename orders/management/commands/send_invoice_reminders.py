"""Mark late invoices overdue and remind buyers by e-mail (run it daily; idempotent)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from orders.receivables.services import invoice_reminders_send


class Command(BaseCommand):
    help = (
        "Mark invoices past their due date overdue, then e-mail buyers about invoices due in the "
        "next days and about overdue ones; each reminder is sent once per invoice and kind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = invoice_reminders_send(today=options["today"])
        self.stdout.write(
            f"Sent {sent['before_due']} reminder(s) before the due date and "
            f"{sent['overdue']} for overdue invoices."
        )
