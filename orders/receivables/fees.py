"""The solidarity fee as a receivable of the platform (docs/receivables.md, "The solidarity
fee"): what a seller owes is the balance of its `fee_payable` account in the ledger; a platform
treasurer records the seller's transfer when it arrives (`fee_payment_record`), which posts
`orders.books.fee_paid` in the same transaction."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import is_member
from core.errors import DomainError, NotPermitted
from ledger.models import Account, AccountKind
from ledger.selectors import account_balance, entries_for
from orders import books
from orders.receivables.models import FeePayment
from orders.receivables.services import MAX_REFERENCE_LENGTH, check_payment, clean_text

# Members of this group (and superusers) record the sellers' fee payments.
TREASURERS_GROUP = "platform_treasurers"


def is_treasurer(user: Any) -> bool:
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_superuser or user.groups.filter(name=TREASURERS_GROUP).exists())


def ensure_treasurer(user: Any) -> None:
    if not is_treasurer(user):
        raise NotPermitted(_("Only the platform's treasurers record fee payments."))


def fee_owed(seller: Cooperative, currency: str) -> int:
    """What the seller owes the platform of solidarity fee in `currency` (minor units; negative:
    paid ahead), from its `fee_payable` account."""
    account = Account.objects.filter(
        owner=seller, currency=currency, kind=AccountKind.FEE_PAYABLE
    ).first()
    return -account_balance(account) if account else 0


def fee_posting(payment: FeePayment) -> books.Posting:
    """The entry of a recorded fee payment (`orders.books.fee_paid`, its rule)."""
    return books.fee_paid(payment)


@dataclass(frozen=True)
class FeeRecorded:
    payment: FeePayment
    is_replay: bool


@transaction.atomic
def fee_payment_record(
    *,
    seller: Cooperative,
    actor: Any,
    currency: str,
    amount: int,
    paid_on: date | None = None,
    reference: str = "",
    rail: str = "bank_transfer",
    idempotency_key: str = "",
) -> FeeRecorded:
    """A treasurer records the seller's payment of its fee; more than is owed in that currency is
    a 409 `fee_overpayment`. A retry with the same Idempotency-Key and values returns the first."""
    ensure_treasurer(actor)
    today = timezone.localdate()
    paid_on = paid_on or today
    reference = clean_text(reference, "reference", MAX_REFERENCE_LENGTH)
    key = clean_text(idempotency_key, "idempotency_key", 255)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": [_("A three-letter currency code, such as EUR.")]})
    check_payment(amount, paid_on, rail, today)
    # The seller's row is the lock: two treasurers never both pay the same fee.
    seller = Cooperative.objects.select_for_update().get(pk=seller.pk)
    values = {
        "currency": currency,
        "amount": amount,
        "paid_on": paid_on,
        "reference": reference,
        "rail": rail,
    }
    if key:
        first = FeePayment.objects.filter(seller=seller, idempotency_key=key).first()
        if first is not None:
            if any(getattr(first, field) != value for field, value in values.items()):
                raise DomainError(
                    _("This Idempotency-Key was used for a different payment."),
                    code="idempotency_key_reused",
                )
            return FeeRecorded(first, True)
    owed = fee_owed(seller, currency)
    if amount > owed:
        raise DomainError(
            _(
                "That is more than the fee owed in %(currency)s (%(owed)s minor units); nothing "
                "was recorded."
            )
            % {"currency": currency, "owed": max(owed, 0)},
            code="fee_overpayment",
        )
    payment = FeePayment.objects.create(
        seller=seller, recorded_by=actor, idempotency_key=key, **values
    )
    books.post(fee_posting(payment))
    return FeeRecorded(payment, False)


# Reads ------------------------------------------------------------------------------------


def fees_owed(seller: Cooperative) -> dict[str, int]:
    """What the seller owes of fee per currency (only currencies with a `fee_payable` account)."""
    accounts = Account.objects.filter(owner=seller, kind=AccountKind.FEE_PAYABLE).order_by(
        "currency"
    )
    return {account.currency: -account_balance(account) for account in accounts}


@dataclass(frozen=True)
class FeeRow:
    """One line of the fee statement: on `day`, `due` more fee (an invoice; negative: a credit
    note) or `paid` (a payment, or kept from a transfer), and what is `owed` after it."""

    day: date
    kind: str
    memo: str
    currency: str
    due: int
    paid: int
    owed: int


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def fee_statement(*, user: Any, seller: Cooperative, month: date) -> list[FeeRow]:
    """The seller's fee statement for the month (each fee due, each fee paid, what is owed after
    it, per currency from the balance before the month). For the seller's members and the
    platform's treasurers; 404 for anyone else."""
    if not (is_member(user, seller) or is_treasurer(user)):
        raise Http404("No cooperative with this slug.")
    first, last = month_bounds(month)
    rows = entries_for(seller, date_from=first, date_to=last, kinds=[AccountKind.FEE_PAYABLE])
    return [
        FeeRow(
            day=timezone.localdate(row.entry.occurred_at),
            kind=row.entry.kind,
            memo=row.entry.memo,
            currency=row.currency,
            due=max(-row.amount, 0),
            paid=max(row.amount, 0),
            owed=-row.balance,
        )
        for row in rows
    ]
