"""The lifecycle of an invoice as a receivable, and of a buyer's payment notice. The tables are
the documentation; every move goes through a `core.transitions.Lifecycle` and writes an
`InvoiceEvent` (or decides a notice)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    WRITTEN_OFF = "written_off", _("Written off")
    CREDITED = "credited", _("Credited")


# Owed and not yet due (the "current" of the aging buckets); unpaid adds the overdue.
NOT_YET_DUE = frozenset({InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID})
UNPAID = NOT_YET_DUE | {InvoiceStatus.OVERDUE}
# A status changes only through INVOICE_LIFECYCLE.ensure (`action -> (allowed from, to)`).
INVOICE_LIFECYCLE = transitions.Lifecycle(
    InvoiceStatus,
    refusal=_("Cannot %(action)s an invoice whose status is “%(current)s”."),
    table={
        "pay_part": (NOT_YET_DUE, InvoiceStatus.PARTLY_PAID),
        # A partial payment on an overdue invoice leaves it overdue (what is left is still late).
        "pay_part_late": ({InvoiceStatus.OVERDUE}, InvoiceStatus.OVERDUE),
        "pay": (UNPAID, InvoiceStatus.PAID),
        "fall_due": (NOT_YET_DUE, InvoiceStatus.OVERDUE),
        "write_off": (UNPAID, InvoiceStatus.WRITTEN_OFF),
        # Cancelling an invoiced order issues a credit note: the invoice is no longer owed.
        "credit": (UNPAID | {InvoiceStatus.PAID}, InvoiceStatus.CREDITED),
    },
    labels={
        "pay_part": pgettext_lazy("invoice action", "record a payment on"),
        "pay_part_late": pgettext_lazy("invoice action", "record a payment on"),
        "pay": pgettext_lazy("invoice action", "record a payment on"),
        "fall_due": pgettext_lazy("invoice action", "mark overdue"),
        "write_off": pgettext_lazy("invoice action", "write off"),
        "credit": pgettext_lazy("invoice action", "credit"),
    },
)
ensure_invoice_transition = INVOICE_LIFECYCLE.ensure


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the seller")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


NOTICE_LIFECYCLE = transitions.Lifecycle.closing(
    NoticeStatus,
    refusal=_("Cannot %(action)s a payment notice whose status is “%(current)s”."),
    closes={"confirm": NoticeStatus.CONFIRMED, "reject": NoticeStatus.REJECTED},
    labels={
        "confirm": pgettext_lazy("payment notice action", "confirm"),
        "reject": pgettext_lazy("payment notice action", "reject"),
    },
)
ensure_notice_transition = NOTICE_LIFECYCLE.ensure


class PaymentRail(models.TextChoices):
    """How a payment against an invoice reached the seller."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    INSTANT_PAYMENT = "instant_payment", _("Instant payment (Pix, CVU…)")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")
    # Compensated against other invoices by a clearing run (docs/credit.md): no money moved.
    SET_OFF = "set_off", _("Set-off")
    # Paid with mutual credit (docs/credit.md): the credit transfer's entry posts it.
    CREDIT = "credit", _("Mutual credit")


# Rails whose payments post their own ledger entry: a clearing run's set-off, a credit transfer.
SELF_POSTED_RAILS = frozenset({PaymentRail.SET_OFF, PaymentRail.CREDIT})
# What a person may say a payment came by: the others are recorded only by Minga itself.
MANUAL_RAILS = [
    (value, label) for value, label in PaymentRail.choices if value not in SELF_POSTED_RAILS
]


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")


AGING_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    # (key, first day overdue, last day overdue); "current" is not yet due.
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)
