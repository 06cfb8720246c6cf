"""Changes to localstripe's own resources (PaymentIntent, PaymentMethod, Refund, Store)."""

from __future__ import annotations

import random
import string

from localstripe import resources as ls
from localstripe import webhooks as ls_webhooks

from tests.stripe_standin.state import REFUND, bad_request, emit, listed_by
from tests.stripe_standin.webhooks import schedule_webhook

_original_pi_init = ls.PaymentIntent.__init__
_original_pi_export = ls.PaymentIntent._export
_original_pi_create_charge = ls.PaymentIntent._create_charge
_original_pi_confirm = ls.PaymentIntent._api_confirm.__func__
_original_refund_init = ls.Refund.__init__
_original_canonical_pm = ls.PaymentMethod._try_get_canonical_test_article.__func__
_original_charging_is_declined = ls.PaymentMethod._charging_is_declined
DECLINED_ON_CHARGE = {"4000000000000002", "4000000000009995", "4000000000009987"}


def _pi_init(
    self,
    transfer_group=None,
    description=None,
    automatic_payment_methods=None,
    receipt_email=None,
    statement_descriptor_suffix=None,
    **kwargs,
):
    if transfer_group is not None and not isinstance(transfer_group, str):
        raise bad_request("Invalid transfer_group", param="transfer_group")
    _original_pi_init(self, **kwargs)
    self.transfer_group = transfer_group
    self.description = description
    self.automatic_payment_methods = automatic_payment_methods
    self.receipt_email = receipt_email
    self.statement_descriptor_suffix = statement_descriptor_suffix


def _pi_export(self, expand=None):
    expanded = any(
        isinstance(path, str) and path.split(".")[0] == "latest_charge" for path in expand or []
    )
    obj = _original_pi_export(self, expand=expand)
    latest = obj.get("latest_charge")
    if isinstance(latest, dict) and not expanded:
        obj["latest_charge"] = latest["id"]
    # `charges` left the PaymentIntent object in API version 2022-11-15.
    obj.pop("charges", None)
    return obj


def _pi_create_charge(self, on_failure_now):
    try:
        _original_pi_create_charge(self, on_failure_now)
    finally:
        if self.latest_charge is not None:
            self.latest_charge.transfer_group = getattr(self, "transfer_group", None)


def _pi_amount_received(self) -> int:
    return self.amount if self.status == "succeeded" else 0


@classmethod
def _pi_api_confirm(
    cls,
    id,
    payment_method=None,
    return_url=None,
    off_session=None,
    payment_method_types=None,
    **kwargs,
):
    """Stripe's confirm, also with a payment method (its test ids such as `pm_card_visa` work)."""
    if payment_method is not None:
        obj = cls._api_retrieve(id)
        if obj.status not in ("requires_payment_method", "requires_confirmation"):
            raise bad_request(
                f"This PaymentIntent's status is {obj.status} and cannot be confirmed.",
                code="payment_intent_unexpected_state",
            )
        method = ls.PaymentMethod._api_retrieve(payment_method)
        obj.payment_method = method.id
        # A failed attempt stays in the store; the next one gets a new charge.
        obj.latest_charge = None
        obj._authentication_failed = False
    return _original_pi_confirm(cls, id, **kwargs)


@classmethod
def _canonical_pm(cls, id):
    aliases = {
        "pm_card_chargeDeclined": "pm_card_visa_chargeDeclined",
        "pm_card_bypassPending": "pm_card_visa",
        "pm_card_mastercard": "pm_card_visa",
    }
    return _original_canonical_pm(cls, aliases.get(id, id))


def _charging_is_declined(self):
    if self.type == "card" and self._card_number in DECLINED_ON_CHARGE:
        return True
    return _original_charging_is_declined(self)


def _refund_init(
    self, charge=None, payment_intent=None, amount=None, metadata=None, reason=None, **kwargs
):
    charge_obj = None
    if isinstance(charge, str) and charge.startswith("ch_"):
        charge_obj = ls.Charge._api_retrieve(charge)
    elif isinstance(payment_intent, str) and payment_intent.startswith("pi_"):
        charge_obj = ls.PaymentIntent._api_retrieve(payment_intent).latest_charge
        if charge_obj is None:
            raise bad_request(
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
    if charge_obj is not None and charge_obj.status == "succeeded":
        left = charge_obj.amount - charge_obj.amount_refunded
        amount = REFUND.amount(amount, left=left, of=charge_obj.id)
    if reason not in (None, "duplicate", "fraudulent", "requested_by_customer"):
        raise bad_request("Invalid reason", param="reason")
    _original_refund_init(
        self,
        charge=charge,
        payment_intent=payment_intent,
        amount=amount,
        metadata=metadata,
        **kwargs,
    )
    charge_obj = ls.Charge._api_retrieve(self.charge)
    self.reason = reason
    self.failure_reason = None
    if self.payment_intent is None:
        self.payment_intent = charge_obj.payment_intent
    emit("refund.created", self)
    emit("charge.refunded", charge_obj)


def _charge_amount_refunded(self) -> int:
    """What is refunded of the charge: a refund that failed gave its amount back (Stripe lowers
    `amount_refunded` again)."""
    return sum(refund.amount for refund in self.refunds._list if refund.status != "failed")


def fail_refund(refund_id: str, failure_reason: str) -> ls.Refund:
    """A refund that succeeded fails later (the buyer's card was closed...), as Stripe reports
    it: `refund.updated`, `charge.refund.updated` and `refund.failed`, each with the refund."""
    refund = ls.Refund._api_retrieve(refund_id)
    if refund.status == "failed":
        raise bad_request(f"Refund {refund_id} has already failed.")
    previous = {"status": refund.status, "failure_reason": None}
    refund.status = "failed"
    refund.failure_reason = failure_reason
    emit("refund.updated", refund, previous_attributes=previous)
    emit("charge.refund.updated", refund, previous_attributes=previous)
    emit("refund.failed", refund)
    return refund


_ids = random.SystemRandom()
_ID_ALPHABET = string.ascii_letters + string.digits


def _random_id(length: int) -> str:
    """localstripe's ids from a generator of their own: the global `random` is re-seeded by
    hypothesis for every example of a property test, which made the stand-in (a thread of the same
    process) hand out the same object ids again (a 409 "Conflict" from its store)."""
    return "".join(_ids.choice(_ID_ALPHABET) for _ in range(length))


def patch_localstripe() -> None:
    ls.random_id = _random_id
    ls.Store.try_load_from_disk = lambda self: None
    ls.Store.dump_to_disk = lambda self: None
    ls.PaymentIntent.__init__ = _pi_init
    ls.PaymentIntent._export = _pi_export
    ls.PaymentIntent._create_charge = _pi_create_charge
    ls.PaymentIntent._api_confirm = _pi_api_confirm
    ls.PaymentIntent._api_list_all = listed_by("customer")
    ls.PaymentIntent.amount_received = property(_pi_amount_received)
    ls.PaymentMethod._try_get_canonical_test_article = _canonical_pm
    ls.PaymentMethod._charging_is_declined = _charging_is_declined
    ls.Refund.__init__ = _refund_init
    ls.Charge.amount_refunded = property(_charge_amount_refunded)
    ls.Refund._api_list_all = listed_by("charge", "payment_intent")
    ls.schedule_webhook = schedule_webhook
    ls_webhooks.schedule_webhook = schedule_webhook
    # localstripe's server registers the bound methods listed in `extra_apis` when imported.
    for index, (method, url, _func) in enumerate(ls.extra_apis):
        if url == "/v1/payment_intents/{id}/confirm":
            ls.extra_apis[index] = (method, url, ls.PaymentIntent._api_confirm)
