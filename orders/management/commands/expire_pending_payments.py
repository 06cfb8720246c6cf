"""Cancel card checkouts whose payment never succeeded and put their stock back (cron, every few
minutes)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from orders.payments.services import checkouts_expire_overdue


class Command(BaseCommand):
    help = (
        "Cancel the orders of card checkouts not paid within PAYMENT_GRACE_MINUTES (or with no "
        "open order left), cancel their PaymentIntents and put the stock back."
    )

    def handle(self, *args: object, **options: object) -> None:
        results = checkouts_expire_overdue()
        for checkout_id, outcome in results:
            self.stdout.write(f"checkout {checkout_id}: {outcome}")
        self.stdout.write(
            f"{len(results)} unpaid card checkout(s) older than "
            f"{settings.PAYMENT_GRACE_MINUTES} minutes looked at."
        )
