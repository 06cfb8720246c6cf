"""Close quotes past their validity and requests past their deadline with no live quote left
(run it daily; the `queue` lane schedules it with Celery beat). Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from quotes.services import quotes_close_expired


class Command(BaseCommand):
    help = "Close expired quotes and requests for quotes."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = quotes_close_expired()
        self.stdout.write(f"{closed} closed")
