"""The lifecycle of a refund to the buyer (`Refund.status`). The table is the documentation.

Stripe's answers move a refund (`execution.settlement_send`, `execution.refund_fail`); a person
moves it once, from `failed` to `paid_outside`, when Stripe could not make it and the buyer was
paid another way (`services.refunds.refund_close_paid_outside`). A refund being sent is
`pending` (a failed one goes back to `pending` while it is sent again), so it cannot be closed
while Stripe may still pay it."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions
from orders.payments.models import RefundStatus

R = RefundStatus

REFUND_LIFECYCLE = transitions.Lifecycle(
    RefundStatus,
    refusal=_("Cannot %(action)s a refund whose status is “%(current)s”."),
    table={
        # Sent (again) to Stripe under the attempt's key.
        "send": ({R.PENDING, R.FAILED}, R.PENDING),
        # Stripe made it (a failed row too: a refusal that was not definitive, then the refund
        # found made after all, `services.payments._record_refund_failure`).
        "succeed": ({R.PENDING, R.FAILED}, R.SUCCEEDED),
        # Stripe refused the send, or reported a refund that succeeded failed later.
        "refuse": ({R.PENDING}, R.FAILED),
        "fail_later": ({R.SUCCEEDED}, R.FAILED),
        # A person paid the buyer another way (bank transfer, cash) and records it.
        "pay_outside": ({R.FAILED}, R.PAID_OUTSIDE),
    },
    labels={
        "send": pgettext_lazy("refund action", "send"),
        "succeed": pgettext_lazy("refund action", "confirm"),
        "refuse": pgettext_lazy("refund action", "refuse"),
        "fail_later": pgettext_lazy("refund action", "mark as failed"),
        "pay_outside": pgettext_lazy("refund action", "record as paid outside Stripe"),
    },
)
ensure_refund_transition = REFUND_LIFECYCLE.ensure
