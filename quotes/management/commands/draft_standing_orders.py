"""Draft every period of the active standing orders that has begun; never twice. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from quotes.services import standing_orders_draft


class Command(BaseCommand):
    help = "Draft the orders of standing orders whose period has begun."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{standing_orders_draft()} drafted")
