"""The one module that talks to Stripe.

Rules it keeps for the rest of the project:
- it returns the values of `orders.payments.values`, never Stripe objects;
- every create call carries an idempotency key derived from our own ids (`checkout:{id}:pi`,
  `order:{id}:transfer`, `refund:{id}`, ...), so a retry after a timeout, a crash or a duplicate
  request creates nothing twice (Stripe keeps keys for at least 24 hours);
- network failures, timeouts, rate limits and Stripe 5xx raise `PaymentProviderUnavailable`
  (retry later, same key); refusals raise `PaymentProviderError`;
- settings are read at call time (`STRIPE_SECRET_KEY`, `STRIPE_API_VERSION` pinned,
  `STRIPE_API_BASE` for the local stand-in, ...); it never touches the database, so callers keep
  network calls outside their transactions.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TypeVar
from uuid import UUID

import stripe
from django.conf import settings
from stripe.params import (
    AccountCreateParams,
    PaymentIntentCreateParams,
    RefundCreateParams,
    TransferCreateParams,
)

from orders.payments import stripe_currencies
from orders.payments.errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentsNotConfigured,
    WebhookSignatureInvalid,
)
from orders.payments.values import (
    ChargeInfo,
    ConnectedAccount,
    DisputeInfo,
    PaymentIntentInfo,
    RefundInfo,
    TransferInfo,
    TransferReversalInfo,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

OurId = int | str | UUID
T = TypeVar("T")
LIST_PAGE_SIZE = 100


# -- configuration


def is_configured() -> bool:
    """Card payments are on when a Stripe secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def idempotency_key(*parts: object) -> str:
    """`checkout:42:pi`, prefixed by `STRIPE_IDEMPOTENCY_NAMESPACE` when one is set."""
    key = ":".join(str(part) for part in parts)
    namespace = settings.STRIPE_IDEMPOTENCY_NAMESPACE
    return f"{namespace}:{key}" if namespace else key


def transfer_key(order_id: OurId, attempt: int = 1) -> str:
    """`order:7:transfer` for a transfer's first attempt, `order:7:transfer:2` for the second."""
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt!r}")
    if attempt == 1:  # the key transfers had before attempts were counted: rows in flight keep it
        return idempotency_key("order", order_id, "transfer")
    return idempotency_key("order", order_id, "transfer", attempt)


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise PaymentsNotConfigured()
    return _build_client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        settings.STRIPE_API_VERSION,
        settings.STRIPE_MAX_NETWORK_RETRIES,
        settings.STRIPE_TIMEOUT_SECONDS,
    )


@functools.lru_cache(maxsize=4)
def _build_client(
    secret_key: str, api_base: str, api_version: str, retries: int, timeout: int
) -> stripe.StripeClient:
    base = api_base.rstrip("/")
    return stripe.StripeClient(
        secret_key,
        stripe_version=api_version,
        base_addresses={"api": base, "connect": base, "files": base} if base else None,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


@contextmanager
def _calling(action: str) -> Iterator[None]:
    """Translate Stripe's exceptions into the project's two families."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        logger.warning("Stripe unavailable while trying to %s: %s", action, exc)
        raise PaymentProviderUnavailable() from exc
    except stripe.IdempotencyError as exc:
        if exc.http_status == 409:  # the same key is in flight elsewhere: its answer comes soon
            logger.info("Stripe: %s already in progress under its key", action)
            raise PaymentProviderUnavailable() from exc
        raise PaymentProviderError(
            exc.user_message or f"The payment provider refused to {action}.",
            stripe_code=exc.code or "idempotency_error",
            http_status=exc.http_status,
        ) from exc
    except stripe.CardError as exc:
        raise PaymentProviderError(
            exc.user_message or "The card was declined.",
            stripe_code=exc.code,
            decline_code=getattr(exc.error, "decline_code", None),
            http_status=exc.http_status,
        ) from exc
    except stripe.StripeError as exc:
        logger.warning("Stripe refused to %s: %s", action, exc)
        raise PaymentProviderError(
            exc.user_message or f"The payment provider refused to {action}.",
            stripe_code=exc.code,
            http_status=exc.http_status,
        ) from exc


# -- conversions from Stripe's objects to ours


def _plain(obj: Any) -> dict[str, Any]:
    """Stripe's objects as plain JSON-like dicts (in stripe-python 16 they are not dicts)."""
    return obj.to_dict() if isinstance(obj, stripe.StripeObject) else dict(obj)


def _id_of(value: Any) -> str | None:
    """A reference is an id, or the object itself when it was expanded."""
    if value is None or isinstance(value, str):
        return value
    return str(value["id"])


def _when(timestamp: int | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, tz=UTC)


def _currency(code: str) -> str:
    return code.upper()


def _metadata(value: Any) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in dict(value or {}).items()})


def _outgoing_metadata(
    ours: Mapping[str, OurId], theirs: Mapping[str, Any] | None
) -> dict[str, str]:
    # Our ids win over caller-supplied keys of the same name: they are what reconciliation reads.
    return {
        **{k: str(v) for k, v in (theirs or {}).items()},
        **{k: str(v) for k, v in ours.items()},
    }


def _stripe_currency(currency: str) -> str:
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise ValueError(f"not an ISO 4217 currency code: {currency!r}")
    return currency.lower()


def _stripe_amount(amount: int, currency: str) -> int:
    """Our positive integer of minor units as Stripe's `amount` (`stripe_currencies`)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amounts are positive integers of minor units, got {amount!r}")
    return stripe_currencies.to_stripe(amount, _currency(_stripe_currency(currency)))


def _our_amount(obj: Mapping[str, Any], field: str = "amount") -> int:
    """A Stripe object's amount field in our minor units of the object's currency."""
    return stripe_currencies.from_stripe(obj.get(field) or 0, _currency(obj["currency"]))


def check_amount(amount: int, currency: str) -> None:
    """Refuse (`AmountNotRepresentable`, 409) an amount Stripe cannot take exactly; no network."""
    _stripe_amount(amount, currency)


def _account(obj: Any) -> ConnectedAccount:
    obj = _plain(obj)
    requirements = obj.get("requirements") or {}
    capabilities = obj.get("capabilities") or {}
    default_currency = obj.get("default_currency")
    return ConnectedAccount(
        id=obj["id"],
        email=obj.get("email"),
        country=obj.get("country") or "",
        default_currency=_currency(default_currency) if default_currency else None,
        details_submitted=bool(obj.get("details_submitted")),
        charges_enabled=bool(obj.get("charges_enabled")),
        payouts_enabled=bool(obj.get("payouts_enabled")),
        transfers_active=capabilities.get("transfers") == "active",
        disabled_reason=requirements.get("disabled_reason"),
        currently_due=tuple(requirements.get("currently_due") or ()),
    )


def _common(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of `StripeObjectInfo`, from a plain Stripe object."""
    return {
        "id": obj["id"],
        "amount": _our_amount(obj),
        "currency": _currency(obj["currency"]),
        "created": _when(obj.get("created")),
        "metadata": _metadata(obj.get("metadata")),
    }


def _payment_intent(obj: Any) -> PaymentIntentInfo:
    obj = _plain(obj)
    return PaymentIntentInfo(
        **_common(obj),
        client_secret=obj.get("client_secret"),
        status=obj["status"],
        amount_received=_our_amount(obj, "amount_received"),
        latest_charge=_id_of(obj.get("latest_charge")),
        transfer_group=obj.get("transfer_group"),
        last_payment_error=_error_message(obj.get("last_payment_error")),
    )


def _error_message(error: Any) -> str | None:
    if not error:
        return None
    return str(error.get("message") or error.get("code") or "The payment failed.")


def _charge(obj: Any) -> ChargeInfo:
    obj = _plain(obj)
    return ChargeInfo(
        **_common(obj),
        amount_refunded=_our_amount(obj, "amount_refunded"),
        status=obj["status"],
        payment_intent=_id_of(obj.get("payment_intent")),
        transfer_group=obj.get("transfer_group"),
        refunded=bool(obj.get("refunded")),
        disputed=bool(obj.get("disputed")),
    )


def _transfer(obj: Any) -> TransferInfo:
    obj = _plain(obj)
    return TransferInfo(
        **_common(obj),
        amount_reversed=_our_amount(obj, "amount_reversed"),
        destination=_id_of(obj.get("destination")) or "",
        transfer_group=obj.get("transfer_group"),
        source_transaction=_id_of(obj.get("source_transaction")),
        reversed=bool(obj.get("reversed")),
    )


def _reversal(obj: Any) -> TransferReversalInfo:
    obj = _plain(obj)
    return TransferReversalInfo(**_common(obj), transfer=_id_of(obj.get("transfer")) or "")


def _refund(obj: Any) -> RefundInfo:
    obj = _plain(obj)
    return RefundInfo(
        **_common(obj),
        status=obj.get("status") or "",
        charge=_id_of(obj.get("charge")),
        payment_intent=_id_of(obj.get("payment_intent")),
        reason=obj.get("reason"),
        failure_reason=obj.get("failure_reason"),
    )


def _dispute(obj: Any) -> DisputeInfo:
    obj = _plain(obj)
    return DisputeInfo(
        **_common(obj),
        charge=_id_of(obj.get("charge")) or "",
        payment_intent=_id_of(obj.get("payment_intent")),
        reason=obj.get("reason") or "",
        status=obj.get("status") or "",
    )


def _bounds(created_gte: datetime, created_lte: datetime) -> tuple[int, int]:
    if created_gte.tzinfo is None or created_lte.tzinfo is None:
        raise ValueError("reconciliation ranges are aware datetimes")
    return int(created_gte.timestamp()), int(created_lte.timestamp())


def _create(
    resource: str, convert: Callable[[Any], T], action: str, params: Mapping[str, object], key: str
) -> T:
    """Create a Stripe object under an idempotency key, as our value."""
    with _calling(action):
        return convert(getattr(_client().v1, resource).create(params, {"idempotency_key": key}))


# -- Reads: webhook handlers and reconciliation re-read an object instead of trusting a payload


def _reader(resource: str, convert: Callable[[Any], T], action: str) -> Callable[[str], T]:
    """`retrieve_x(id)`: Stripe's object `resource` by id, as our value."""

    def retrieve(object_id: str) -> T:
        with _calling(action):
            return convert(getattr(_client().v1, resource).retrieve(object_id))

    return retrieve


retrieve_account: Callable[[str], ConnectedAccount] = _reader(
    "accounts", _account, "read a connected account"
)
retrieve_payment_intent: Callable[[str], PaymentIntentInfo] = _reader(
    "payment_intents", _payment_intent, "read a payment"
)
retrieve_charge: Callable[[str], ChargeInfo] = _reader("charges", _charge, "read a charge")
retrieve_dispute: Callable[[str], DisputeInfo] = _reader("disputes", _dispute, "read a dispute")
retrieve_transfer: Callable[[str], TransferInfo] = _reader(
    "transfers", _transfer, "read a transfer"
)
retrieve_refund: Callable[[str], RefundInfo] = _reader("refunds", _refund, "read a refund")


# -- Connect: sellers' Express accounts


def create_connected_account(
    *, cooperative_id: OurId, email: str, country: str, service_agreement: str | None = None
) -> ConnectedAccount:
    """Create the cooperative's Express account (once: the key is `cooperative:{id}:account`).

    Only the `transfers` capability is requested: the platform charges buyers and transfers each
    seller's share. `service_agreement="recipient"` is for sellers in another country than the
    platform's Stripe account."""
    params: AccountCreateParams = {
        "type": "express",
        "country": country.upper(),
        "email": email,
        "capabilities": {"transfers": {"requested": True}},
        "metadata": {"cooperative_id": str(cooperative_id)},
    }
    if service_agreement:
        params["tos_acceptance"] = {"service_agreement": service_agreement}
    with _calling("create a connected account"):
        account = _client().v1.accounts.create(
            params,
            {"idempotency_key": idempotency_key("cooperative", cooperative_id, "account")},
        )
    return _account(account)


def create_account_link(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """A fresh single-use onboarding URL (links expire within minutes, so none is stored)."""
    with _calling("create an account link"):
        link = _client().v1.account_links.create(
            {
                "account": account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            }
        )
    return str(link["url"])


# -- PaymentIntents: one per checkout


def create_payment_intent(
    *,
    checkout_id: OurId,
    amount: int,
    currency: str,
    transfer_group: str,
    metadata: Mapping[str, Any] | None = None,
    description: str | None = None,
) -> PaymentIntentInfo:
    """The checkout's PaymentIntent (key `checkout:{id}:pi`); `metadata` gets `checkout_id`."""
    params: PaymentIntentCreateParams = {
        "amount": _stripe_amount(amount, currency),
        "currency": _stripe_currency(currency),
        "transfer_group": transfer_group,
        "metadata": _outgoing_metadata({"checkout_id": checkout_id}, metadata),
    }
    if description:
        params["description"] = description
    key = idempotency_key("checkout", checkout_id, "pi")
    return _create("payment_intents", _payment_intent, "create a payment", params, key)


def cancel_payment_intent(*, checkout_id: OurId, payment_intent_id: str) -> PaymentIntentInfo:
    """Cancel a payment that was never completed, so a late confirmation cannot charge the buyer
    (key `checkout:{id}:pi:cancel`)."""
    with _calling("cancel a payment"):
        intent = _client().v1.payment_intents.cancel(
            payment_intent_id,
            None,
            {"idempotency_key": idempotency_key("checkout", checkout_id, "pi", "cancel")},
        )
    return _payment_intent(intent)


# -- Transfers to sellers, refunds to buyers, reversals from sellers


def create_transfer(
    *,
    order_id: OurId,
    amount: int,
    currency: str,
    destination: str,
    transfer_group: str,
    source_transaction: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    attempt: int = 1,
) -> TransferInfo:
    """Pay a seller its share of a checkout (key `order:{id}:transfer`, and
    `order:{id}:transfer:{attempt}` from the second attempt on: Stripe keeps a refusal under its
    key, so a retry after a refusal needs a new one; the caller moves `attempt` on only then).

    `source_transaction` (the checkout's charge) ties the transfer to the buyer's funds, so it
    succeeds before those funds are available on the platform balance."""
    params: TransferCreateParams = {
        "amount": _stripe_amount(amount, currency),
        "currency": _stripe_currency(currency),
        "destination": destination,
        "transfer_group": transfer_group,
        "metadata": _outgoing_metadata({"order_id": order_id}, metadata),
    }
    if source_transaction:
        params["source_transaction"] = source_transaction
    key = transfer_key(order_id, attempt)
    return _create("transfers", _transfer, "transfer to a seller", params, key)


def create_refund(
    *,
    refund_id: OurId,
    amount: int,
    currency: str,
    payment_intent_id: str | None = None,
    charge_id: str | None = None,
    reason: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    attempt: int = 1,
) -> RefundInfo:
    """Refund part of a payment to the buyer (key `refund:{id}`, our Refund row's id; from the
    second attempt on, after Stripe reported the first one failed, `refund:{id}:{attempt}`)."""
    if (payment_intent_id is None) == (charge_id is None):
        raise ValueError("refund either a payment_intent_id or a charge_id")
    params: RefundCreateParams = {
        "amount": _stripe_amount(amount, currency),
        "metadata": _outgoing_metadata({"refund_id": refund_id}, metadata),
    }
    if payment_intent_id:
        params["payment_intent"] = payment_intent_id
    elif charge_id:
        params["charge"] = charge_id
    if reason:
        params["reason"] = reason
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt!r}")
    key = idempotency_key("refund", refund_id, *([attempt] if attempt > 1 else []))
    return _create("refunds", _refund, "refund a payment", params, key)


def create_transfer_reversal(
    *,
    reversal_id: OurId,
    transfer_id: str,
    amount: int,
    currency: str,
    metadata: Mapping[str, Any] | None = None,
) -> TransferReversalInfo:
    """Take back (part of) a seller's transfer, e.g. for a refunded order (key `reversal:{id}`)."""
    with _calling("reverse a transfer"):
        reversal = _client().v1.transfers.reversals.create(
            transfer_id,
            {
                "amount": _stripe_amount(amount, currency),
                "metadata": _outgoing_metadata({"reversal_id": reversal_id}, metadata),
            },
            {"idempotency_key": idempotency_key("reversal", reversal_id)},
        )
    return _reversal(reversal)


# -- Webhooks


def construct_event(payload: bytes, signature_header: str | None) -> WebhookEvent:
    """Verify a webhook's signature on its raw body, then read the event.

    Accepted secrets: `STRIPE_WEBHOOK_SECRET` (platform endpoint) and
    `STRIPE_CONNECT_WEBHOOK_SECRET` (Connect endpoint: sellers' `account.updated`). A signature
    older than `STRIPE_WEBHOOK_TOLERANCE_SECONDS` is refused, so a captured request cannot be
    replayed later."""
    secrets = [
        secret
        for secret in (settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET)
        if secret
    ]
    if not secrets:
        raise WebhookSignatureInvalid("No webhook signing secret is configured.")
    if not signature_header:
        raise WebhookSignatureInvalid("The Stripe-Signature header is missing.")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookSignatureInvalid("The webhook body is not UTF-8 text.") from exc
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(text, signature_header, secret, tolerance)
            break
        except stripe.SignatureVerificationError:
            continue
    else:
        raise WebhookSignatureInvalid("The webhook signature is invalid or too old.")
    try:
        body = json.loads(text)
        obj = body["data"]["object"]
        return WebhookEvent(
            id=str(body["id"]),
            type=str(body["type"]),
            object_id=obj.get("id"),
            data=MappingProxyType(obj),
            created=_when(body.get("created")),
            account=body.get("account"),
            livemode=bool(body.get("livemode")),
            previous_attributes=body["data"].get("previous_attributes"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WebhookSignatureInvalid("The webhook body is not a Stripe event.") from exc


# -- Lists for reconciliation


def _list(
    resource: str,
    convert: Callable[[Any], T],
    created_gte: datetime,
    created_lte: datetime,
    filters: Mapping[str, str | None],
) -> list[T]:
    """Every object of `resource` created in the range (inclusive), newest first, through every
    page; filters that are None are left out."""
    gte, lte = _bounds(created_gte, created_lte)
    params = {
        "created": {"gte": gte, "lte": lte},
        "limit": LIST_PAGE_SIZE,
        **{name: value for name, value in filters.items() if value},
    }
    with _calling(f"list {resource}"):
        page = getattr(_client().v1, resource).list(params)
        return [convert(obj) for obj in page.auto_paging_iter()]


def list_payment_intents(
    *, created_gte: datetime, created_lte: datetime
) -> list[PaymentIntentInfo]:
    """Every PaymentIntent created in the range."""
    return _list("payment_intents", _payment_intent, created_gte, created_lte, {})


def list_transfers(
    *,
    created_gte: datetime,
    created_lte: datetime,
    transfer_group: str | None = None,
    destination: str | None = None,
) -> list[TransferInfo]:
    """Every transfer created in the range, optionally of one checkout or one seller."""
    filters = {"transfer_group": transfer_group, "destination": destination}
    return _list("transfers", _transfer, created_gte, created_lte, filters)


def list_refunds(
    *, created_gte: datetime, created_lte: datetime, payment_intent_id: str | None = None
) -> list[RefundInfo]:
    """Every refund created in the range, optionally of one payment."""
    filters = {"payment_intent": payment_intent_id}
    return _list("refunds", _refund, created_gte, created_lte, filters)
