"""What a settlement cron run prints, and how it fails, once for the commands that send to Stripe
(retry_transfers, expire_pending_payments)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from orders.payments.execution import RunReport


class SettlementRunCommand(BaseCommand):
    """A line per row sent, then the run's summary. Stripe unreachable stops the run (the rest is
    left for the next one) and exits with status 1 and the network error, so cron's mail says so."""

    def run(self, **options: Any) -> RunReport:
        raise NotImplementedError

    def summary(self, report: RunReport) -> str:
        raise NotImplementedError

    def handle(self, *args: object, **options: Any) -> None:
        report = self.run(**options)
        for kind, pk, status in report.sent:
            self.stdout.write(f"{kind} {pk}: {status}")
        self.stdout.write(self.summary(report))
        if report.unavailable is not None:
            raise CommandError(report.stopped_reason())
