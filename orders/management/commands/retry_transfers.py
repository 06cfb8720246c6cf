"""Send again the transfers, transfer reversals and refunds not done yet (cron, every few minutes
to every hour): the same rows and keys, so nothing is paid twice."""

from typing import Any

from orders.management.runs import SettlementRunCommand
from orders.payments.execution import RunReport, settlement_retry


class Command(SettlementRunCommand):
    help = (
        "Retry pending and failed transfers to sellers, refunds to buyers and transfer reversals."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--pending-only",
            action="store_true",
            help="Leave rows Stripe refused (failed) alone; only send the ones never answered.",
        )

    def run(self, **options: Any) -> RunReport:
        return settlement_retry(include_failed=not options["pending_only"])

    def summary(self, report: RunReport) -> str:
        return f"Retried {len(report.sent)} row(s)."
