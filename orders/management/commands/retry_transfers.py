"""Send again the transfers, transfer reversals and refunds not done yet (cron, every few minutes
to every hour): the same rows and keys, so nothing is paid twice. Stripe unreachable: exits with
status 1 and the network error, so cron's mail says so."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from orders.payments.execution import settlement_retry


class Command(BaseCommand):
    help = (
        "Retry pending and failed transfers to sellers, refunds to buyers and transfer reversals."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--pending-only",
            action="store_true",
            help="Leave rows Stripe refused (failed) alone; only send the ones never answered.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        report = settlement_retry(include_failed=not options["pending_only"])
        for kind, pk, status in report.sent:
            self.stdout.write(f"{kind} {pk}: {status}")
        self.stdout.write(f"Retried {len(report.sent)} row(s).")
        if report.unavailable is not None:
            raise CommandError(report.stopped_reason())
