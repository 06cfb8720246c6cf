"""The orders app's background tasks (core.tasks has the rules: ids in, idempotent, enqueued on
commit, retried with backoff, a TaskFailure when the retries are spent).

`settle` sends the Stripe transfers, reversals and refunds a webhook (or a cancellation) committed
as `pending` rows; the periodic jobs of CELERY_BEAT_SCHEDULE are the management commands' services
(the commands stay as manual tools)."""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.utils import timezone

from core.tasks import minga_task

logger = logging.getLogger(__name__)


@minga_task
def settle(
    transfers: list[int],
    refunds: list[int],
    reversals: list[int],
    expire_checkouts: list[int],
) -> None:
    """Send these settlement rows to Stripe. Each row carries its idempotency key and is skipped
    once done, so a second run (a retry, a redelivery after a worker died) moves no money twice;
    Stripe unreachable: the task is retried, and retry_transfers sweeps whatever is left."""
    from orders.payments.execution import Work

    Work(
        transfers=transfers,
        refunds=refunds,
        reversals=reversals,
        expire_checkouts=expire_checkouts,
    ).run()


@minga_task
def send_orders_placed(
    order_ids: list[int],
    tell_seller: bool = True,
    tell_buyer: bool = True,
    is_paid: bool = False,
    batch: str = "",
) -> int:
    """E-mail the sellers and buyers of these just-placed orders (orders.notifications
    `notify_orders_placed`: the request enqueues only the ids, naming the batch). A batch is
    delivered once: a second run (a retry, a redelivery) sends nothing more."""
    from core.tasks import send_emails
    from orders.notifications import orders_placed_emails

    emails = orders_placed_emails(
        order_ids, tell_seller=tell_seller, tell_buyer=tell_buyer, is_paid=is_paid
    )
    return send_emails([asdict(email) for email in emails], batch=batch)  # type: ignore[no-any-return]


def _raise_if_stopped(report: object) -> None:
    unavailable = getattr(report, "unavailable", None)
    if unavailable is not None:
        raise unavailable


@minga_task
def expire_pending_payments() -> int:
    """Cancel card checkouts unpaid after PAYMENT_GRACE_MINUTES (manage.py expire_pending_payments)."""
    from orders.payments.services import checkouts_expire_overdue

    report = checkouts_expire_overdue()
    _raise_if_stopped(report)
    return len(report.sent)


@minga_task
def retry_transfers() -> int:
    """Send again every pending or failed transfer, reversal and refund (manage.py
    retry_transfers): anything a task could not finish is picked up here."""
    from orders.payments.execution import settlement_retry

    report = settlement_retry()
    _raise_if_stopped(report)
    return len(report.sent)


@minga_task
def complete_stale_orders() -> int:
    """Complete orders fulfilled ORDER_AUTO_COMPLETE_DAYS ago (manage.py complete_stale_orders)."""
    from orders.services import order_complete_stale

    return len(order_complete_stale())


@minga_task
def reconcile_stripe() -> int:
    """Compare the last two days with Stripe and log every difference (manage.py
    reconcile_stripe, without --repair: a person decides)."""
    from orders.payments.errors import PaymentsNotConfigured
    from orders.payments.reconcile import reconcile

    until = timezone.now()
    try:
        report = reconcile(since=until - timedelta(days=2), until=until, repair=False)
    except PaymentsNotConfigured:
        return 0  # no Stripe account configured: nothing to compare
    for difference in report.differences:
        logger.warning("reconcile_stripe: %s", difference)
    return len(report.differences)


@minga_task
def ledger_check() -> int:
    """Re-derive the ledger from the source records and log every difference as an error
    (manage.py ledger_check, which exits 1 on one)."""
    from orders.books_check import books_check

    problems = books_check()
    for problem in problems:
        logger.error("ledger_check: %s", problem)
    return len(problems)


@minga_task
def send_invoice_reminders() -> int:
    """Mark late invoices overdue and remind their buyers, once per invoice and kind (manage.py
    send_invoice_reminders)."""
    from orders.receivables.services import invoice_reminders_send

    sent = invoice_reminders_send(today=None)
    return sum(sent.values())
