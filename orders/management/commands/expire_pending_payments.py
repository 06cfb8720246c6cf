"""Cancel card checkouts whose payment never succeeded and put their stock back (cron, every few
minutes). Stripe unreachable: exits with status 1 and the network error, so cron's mail says so."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.payments.services import checkouts_expire_overdue


class Command(BaseCommand):
    help = (
        "Cancel the orders of card checkouts not paid within PAYMENT_GRACE_MINUTES (or with no "
        "open order left), cancel their PaymentIntents and put the stock back."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = checkouts_expire_overdue()
        for _kind, checkout_id, outcome in report.sent:
            self.stdout.write(f"checkout {checkout_id}: {outcome}")
        self.stdout.write(
            f"{len(report.sent)} unpaid card checkout(s) older than "
            f"{settings.PAYMENT_GRACE_MINUTES} minutes looked at."
        )
        if report.unavailable is not None:
            raise CommandError(report.stopped_reason())
