"""Cancel card checkouts whose payment never succeeded and put their stock back (cron, every few
minutes)."""

from typing import Any

from django.conf import settings

from orders.management.runs import SettlementRunCommand
from orders.payments.execution import RunReport
from orders.payments.services import checkouts_expire_overdue


class Command(SettlementRunCommand):
    help = (
        "Cancel the orders of card checkouts not paid within PAYMENT_GRACE_MINUTES (or with no "
        "open order left), cancel their PaymentIntents and put the stock back."
    )

    def run(self, **options: Any) -> RunReport:
        return checkouts_expire_overdue()

    def summary(self, report: RunReport) -> str:
        return (
            f"{len(report.sent)} unpaid card checkout(s) older than "
            f"{settings.PAYMENT_GRACE_MINUTES} minutes looked at."
        )
