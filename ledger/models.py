"""The double-entry books of the federation: accounts per owner (a cooperative, or the platform
when the owner is null), currency, kind and rail; journal entries whose lines sum to zero in the
entry's currency. Entries and lines are append-only: corrected only by reversing entries."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from core.append_only import AppendOnlyError, AppendOnlyModel  # noqa: F401 (AppendOnlyError: re-exported)
from core.models import one_of_choices


class AccountKind(models.TextChoices):
    # What one party is owed by, or owes to, another cooperative (per counterparty on the lines).
    RECEIVABLE = "receivable", _("Receivable")
    PAYABLE = "payable", _("Payable")
    # Money a rail holds on someone's behalf (the platform's Stripe balance).
    CASH_IN_TRANSIT = "cash_in_transit", _("Cash in transit")
    # The solidarity fee: the seller owes it, the platform is owed it.
    FEE_PAYABLE = "fee_payable", _("Fee payable")
    FEE_RECEIVABLE = "fee_receivable", _("Fee receivable")
    FEE_INCOME = "fee_income", _("Fee income")
    # Money outside the platform (a cooperative's bank account or cash box): what it paid or got.
    BANK = "bank", _("Bank or cash")
    # Mutual credit balances (the credit rail).
    CREDIT = "credit", _("Mutual credit")


# The kinds whose lines are claims between two parties: a statement's running balance is theirs.
CLAIM_KINDS = (
    AccountKind.RECEIVABLE,
    AccountKind.PAYABLE,
    AccountKind.FEE_PAYABLE,
    AccountKind.FEE_RECEIVABLE,
    AccountKind.CREDIT,
)


class EntryKind(models.TextChoices):
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    CARD_PAYMENT_SUCCEEDED = "card_payment_succeeded", _("Card payment succeeded")
    TRANSFER_SENT = "transfer_sent", _("Transfer sent to the seller")
    REFUND = "refund", _("Refund")
    REFUND_FAILED = "refund_failed", _("Refund failed at Stripe")
    REFUND_PAID_OUTSIDE = "refund_paid_outside", _("Refund paid outside Stripe")
    TRANSFER_REVERSAL = "transfer_reversal", _("Transfer reversed")
    CREDIT_NOTE = "credit_note", _("Credit note")
    FEE_DUE = "fee_due", _("Solidarity fee due")
    FEE_PAID = "fee_paid", _("Solidarity fee paid")
    CREDIT_TRANSFER = "credit_transfer", _("Mutual credit transfer")
    SET_OFF = "set_off", _("Set-off of invoices")
    REVERSAL = "reversal", _("Reversal")


class Account(models.Model):
    """One balance: whose (a cooperative, or the platform when `owner` is null), in which
    currency, of which kind, on which rail ("" when the account is not a rail's)."""

    owner = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    currency = models.CharField(max_length=3)
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    rail = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["owner_id", "currency", "kind", "rail"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "currency", "kind", "rail"], name="ledger_account_unique"
            ),
            models.UniqueConstraint(
                fields=["currency", "kind", "rail"],
                condition=Q(owner__isnull=True),
                name="ledger_platform_account_unique",
            ),
            one_of_choices("kind", AccountKind, name="ledger_account_kind_valid"),
        ]

    def __str__(self) -> str:
        owner = (self.owner_id and f"cooperative {self.owner_id}") or "platform"
        rail = f" ({self.rail})" if self.rail else ""
        return f"{owner}: {self.get_kind_display()} {self.currency}{rail}"


class JournalEntry(AppendOnlyModel):
    """One money event, written once, whose lines sum to zero (a deferred trigger on PostgreSQL,
    the posting service everywhere). `key` makes posting idempotent: the same event posts once."""

    append_only_name = "The journal"

    kind = models.CharField(max_length=32, choices=EntryKind.choices)
    currency = models.CharField(max_length=3)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    posted_at = models.DateTimeField(default=timezone.now, editable=False)
    memo = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200, unique=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["source_type", "source_id"], name="ledger_entry_source")]
        constraints = [
            one_of_choices("kind", EntryKind, name="ledger_entry_kind_valid"),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="ledger_entry_source_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.currency} #{self.pk}"


class JournalLine(AppendOnlyModel):
    """One side of an entry: a signed amount in minor units (debit +, credit −) on one account,
    and the other cooperative it concerns (null: none, or the platform)."""

    append_only_name = "The journal"

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    amount = models.BigIntegerField()
    counterparty = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_line_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"
