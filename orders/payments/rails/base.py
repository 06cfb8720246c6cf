"""The protocol every settlement rail answers (docs/payments.md, "Rails"). The orders code asks
the registry (`orders.payments.rails.rail_for`) for an order's or a checkout's rail and calls
these; no code outside the registry and the rails asks which rail it is."""

from typing import Any, Protocol


class Rail(Protocol):
    code: str  # stored in Checkout/Order.payment_method
    label: Any  # what people read (translated)
    # Paid before the seller acts (card): sellers hear of the order once paid, an empty
    # checkout cannot be paid, the invoice says the order was paid through Minga.
    paid_up_front: bool
    # The seller records the payment itself ("mark paid"); otherwise the rail confirms it.
    seller_marks_paid: bool
    # The checkout page's words for choosing it (translated).
    choice_help: Any

    def is_available(self) -> bool:
        """Whether buyers may choose it now (configured)."""

    def can_pay(self, seller: Any, currency: str) -> bool:
        """Whether this rail can settle an order of `seller` in `currency` (countries, currencies,
        the seller's onboarding)."""

    def initial_statuses(self) -> tuple[str, str]:
        """A new checkout's (status, payment_status)."""

    def checkout_placed(self, checkout: Any) -> None:
        """Inside the checkout transaction: the rows a payment needs (no network)."""

    def payment_payload(self, checkout: Any) -> dict[str, str] | None:
        """After commit: what the buyer's client needs to pay (starts the payment)."""

    def payment_refusal(self, checkout: Any) -> str | None:
        """Why the checkout can no longer be paid, or None."""

    def check_order_transition(self, order: Any, action: str) -> None:
        """Refuse a lifecycle step the payment does not allow yet."""

    def is_order_payable_now(self, order: Any) -> bool:
        """Whether the payment lets the seller act on the order."""

    def order_closed(self, order: Any) -> None:
        """Inside the transaction that cancels or declines the order: refunds and reversals."""

    def paid_posting(self, order: Any) -> Any:
        """The ledger posting (`orders.books`) of a paid order that has no payment row of its own
        (the books check rebuilds the ledger from it)."""


class OffPlatformRail:
    """What a rail does at a step where no money moves through Minga: always available, can pay
    anyone, starts nothing, refuses nothing, lets the seller act at once and undoes nothing; the
    seller records the payment. A rail whose money moves outside the platform (the invoice rail)
    states only what is its own; a rail that moves money (the card rail) answers every step."""

    paid_up_front: bool = False
    seller_marks_paid: bool = True

    def is_available(self) -> bool:
        return True

    def can_pay(self, seller: Any, currency: str) -> bool:
        return True

    def checkout_placed(self, checkout: Any) -> None:
        return None

    def payment_payload(self, checkout: Any) -> dict[str, str] | None:
        return None

    def payment_refusal(self, checkout: Any) -> str | None:
        return None

    def check_order_transition(self, order: Any, action: str) -> None:
        return None

    def is_order_payable_now(self, order: Any) -> bool:
        return True

    def order_closed(self, order: Any) -> None:
        return None
