"""Compare Minga's payments, transfers and refunds with Stripe's for a date range (cron, daily).

Reports every difference and changes nothing, unless --repair: then a payment that succeeded at
Stripe but whose webhook never arrived is applied (the same code as the webhook)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from orders.payments.errors import PaymentProviderUnavailable, PaymentsNotConfigured
from orders.payments.reconcile import reconcile


def _moment(raw: str, *, end: bool) -> datetime:
    """An ISO date (the whole day) or date-time; naive values are in TIME_ZONE."""
    try:
        day = parse_date(raw)
        moment = (
            datetime.combine(day, time.max if end else time.min) if day else parse_datetime(raw)
        )
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(f"not an ISO date or date-time: {raw!r}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Compare local PaymentIntents, transfers and refunds with Stripe's lists between --since "
        "and --until and report every difference; --repair applies missed payment successes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", help="ISO date or date-time (default: two days ago).")
        parser.add_argument("--until", help="ISO date or date-time (default: now).")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Apply PaymentIntents that succeeded at Stripe but not here (missed webhooks).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        until = _moment(options["until"], end=True) if options["until"] else timezone.now()
        since = (
            _moment(options["since"], end=False) if options["since"] else until - timedelta(days=2)
        )
        if since > until:
            raise CommandError("--since is after --until")
        try:
            report = reconcile(since=since, until=until, repair=options["repair"])
        except PaymentProviderUnavailable as exc:
            raise CommandError(exc.describe()) from exc
        except PaymentsNotConfigured as exc:
            raise CommandError(str(exc.detail)) from exc
        for difference in report.differences:
            self.stdout.write(str(difference))
        checked = ", ".join(f"{count} {kind}" for kind, count in report.checked.items())
        repaired = sum(1 for d in report.differences if d.is_repaired)
        self.stdout.write(
            f"Checked {checked} at Stripe from {since.isoformat()} to {until.isoformat()}: "
            f"{len(report.differences)} difference(s), {repaired} repaired."
        )
