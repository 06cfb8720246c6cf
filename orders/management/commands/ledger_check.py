"""Re-derive every balance of the ledger from the source records and from its own entries, and
print every difference (cron, daily): exits with status 1 when there is one, so cron's mail says
so (docs/ledger.md, "ledger_check")."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from orders.books_check import books_check


class Command(BaseCommand):
    help = (
        "Check the ledger against the orders, payments, transfers, refunds, fee payments, credit "
        "payments and clearing runs; exit 1 on any difference."
    )

    def handle(self, *args: object, **options: Any) -> None:
        problems = books_check()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"The ledger differs from the records in {len(problems)} place(s).")
        self.stdout.write("The ledger matches the records.")
