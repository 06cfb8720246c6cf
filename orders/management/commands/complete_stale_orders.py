"""Complete orders fulfilled ORDER_AUTO_COMPLETE_DAYS ago (run it daily from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from orders.services import order_complete_stale


class Command(BaseCommand):
    help = "Complete orders fulfilled ORDER_AUTO_COMPLETE_DAYS days ago or more (not flagged ones)."

    def handle(self, *args: object, **options: object) -> None:
        completed = order_complete_stale()
        self.stdout.write(
            f"Completed {len(completed)} order(s) fulfilled at least "
            f"{settings.ORDER_AUTO_COMPLETE_DAYS} days ago."
        )
