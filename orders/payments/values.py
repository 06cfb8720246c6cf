"""The small, immutable values the gateway returns instead of Stripe objects.

Amounts are integers in minor units and currencies upper-case ISO 4217 codes, as everywhere in the
project (Stripe speaks lower-case). Times are aware UTC datetimes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class StripeRefundStatus(StrEnum):
    """A refund's status as Stripe reports it (its API's words; Minga's own record of a refund
    has `RefundStatus`). Compared with `RefundInfo.status`, a plain string."""

    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


@dataclass(frozen=True)
class ConnectedAccount:
    id: str
    email: str | None
    country: str
    default_currency: str | None
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    transfers_active: bool
    disabled_reason: str | None = None
    currently_due: tuple[str, ...] = ()

    @property
    def can_receive_transfers(self) -> bool:
        """A seller is paid out by card checkout only when both are true."""
        return self.payouts_enabled and self.transfers_active


@dataclass(frozen=True, kw_only=True)
class StripeObjectInfo:
    """What every Stripe object that moves money has: its id, its amount in our minor units, its
    currency, when it was created, and the metadata Minga put on it."""

    id: str
    amount: int
    currency: str
    created: datetime
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class PaymentIntentInfo(StripeObjectInfo):
    client_secret: str | None
    status: str
    amount_received: int
    latest_charge: str | None
    transfer_group: str | None
    last_payment_error: str | None = None

    @property
    def is_succeeded(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True, kw_only=True)
class ChargeInfo(StripeObjectInfo):
    amount_refunded: int
    status: str
    payment_intent: str | None
    transfer_group: str | None
    refunded: bool
    disputed: bool


@dataclass(frozen=True, kw_only=True)
class TransferInfo(StripeObjectInfo):
    amount_reversed: int
    destination: str
    transfer_group: str | None
    source_transaction: str | None
    reversed: bool


@dataclass(frozen=True, kw_only=True)
class TransferReversalInfo(StripeObjectInfo):
    transfer: str


@dataclass(frozen=True, kw_only=True)
class RefundInfo(StripeObjectInfo):
    status: str
    charge: str | None
    payment_intent: str | None
    reason: str | None
    failure_reason: str | None = None  # why a refund failed (`expired_or_canceled_card`...)

    @property
    def attempt(self) -> int:
        """Which attempt of a Minga refund row this is (`metadata.attempt`, from the second on)."""
        raw = self.metadata.get("attempt", "")
        return int(raw) if raw.isdigit() and int(raw) >= 1 else 1

    @property
    def is_succeeded(self) -> bool:
        return self.status == StripeRefundStatus.SUCCEEDED

    @property
    def is_failed(self) -> bool:
        return self.status == StripeRefundStatus.FAILED


@dataclass(frozen=True, kw_only=True)
class DisputeInfo(StripeObjectInfo):
    charge: str
    payment_intent: str | None
    reason: str
    status: str


@dataclass(frozen=True)
class WebhookEvent:
    """A verified event. `data` is the event's `data.object` as plain JSON; handlers should re-read
    the object through the gateway rather than trust it (events arrive late and out of order)."""

    id: str
    type: str
    object_id: str | None
    data: Mapping[str, Any]
    created: datetime
    account: str | None = None
    livemode: bool = False
    previous_attributes: Mapping[str, Any] | None = None
