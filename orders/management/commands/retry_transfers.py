"""Send again the transfers, refunds and transfer reversals not done yet (cron, every few minutes
to every hour): the same rows, the same idempotency keys, so nothing is paid twice."""

from typing import Any

from django.core.management.base import BaseCommand

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
        results = settlement_retry(include_failed=not options["pending_only"])
        for kind, rows in results.items():
            for pk, status in rows:
                self.stdout.write(f"{kind} {pk}: {status}" if pk else f"{kind}: {status}")
        counts = ", ".join(f"{len(rows)} {kind}" for kind, rows in results.items())
        self.stdout.write(f"Retried {counts}.")
