"""The extensions' own state, and helpers shared by the other modules."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from localstripe import resources as ls
from localstripe import webhooks as ls_webhooks
from localstripe.errors import UserError

API_VERSION = "2025-03-31.basil"
ACCOUNT_LINK_TTL_SECONDS = 300
CURRENCY_BY_COUNTRY = {
    "AR": "ars",
    "AU": "aud",
    "BR": "brl",
    "CA": "cad",
    "CH": "chf",
    "CL": "clp",
    "CO": "cop",
    "GB": "gbp",
    "MX": "mxn",
    "NO": "nok",
    "PE": "pen",
    "SE": "sek",
    "US": "usd",
    "UY": "uyu",
}
EURO_COUNTRIES = frozenset("AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK".split())  # noqa: SIM905


@dataclass
class Fault:
    mode: str  # "error", "drop", "drop_after" or "delay"
    path: str = "/v1/"
    method: str | None = None
    status: int = 500
    delay: float = 0.0
    remaining: int | None = None

    def matches(self, request: web.Request) -> bool:
        return request.path.startswith(self.path) and (
            self.method is None or self.method.upper() == request.method
        )


@dataclass
class SavedResponse:
    fingerprint: tuple[str, str, str]
    status: int
    body: bytes


@dataclass
class State:
    public_url: str | None = None
    idempotency: dict[tuple[str, str], SavedResponse] = field(default_factory=dict)
    in_flight: set[tuple[str, str]] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    account_links: dict[str, dict[str, Any]] = field(default_factory=dict)
    hold_webhooks: bool = False
    delivery_delay: float = 0.1
    generation: int = 0
    # What `reset()` returns to: set by the command line for docker-compose.
    default_delivery_delay: float = 0.1
    startup_webhooks: dict[str, tuple[str, str]] = field(default_factory=dict)

    def reset(self) -> None:
        ls.store.clear()
        ls_webhooks._webhooks.clear()
        for endpoint_id, (url, secret) in self.startup_webhooks.items():
            ls_webhooks.register_webhook(endpoint_id, url, secret, None)
        self.idempotency.clear()
        self.in_flight.clear()
        self.faults.clear()
        self.events.clear()
        self.deliveries.clear()
        self.account_links.clear()
        self.hold_webhooks = False
        self.delivery_delay = self.default_delivery_delay
        # Deliveries scheduled before the reset see a new generation and are dropped.
        self.generation += 1

    def take_fault(self, request: web.Request) -> Fault | None:
        for fault in self.faults:
            if fault.matches(request):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault
        return None


STATE = State()


def now() -> int:
    return int(time.time())


def as_int(value: Any) -> Any:
    return ls.try_convert_to_int(value)


def as_bool(value: Any) -> Any:
    return ls.try_convert_to_bool(value)


def bad_request(message: str, *, code: str | None = None, param: str | None = None) -> UserError:
    contents: dict[str, Any] = {}
    if code:
        contents["code"] = code
    if param:
        contents["param"] = param
    return UserError(400, message, contents)


@dataclass(frozen=True)
class TakingBack:
    """A refund of a charge or a reversal of a transfer, in Stripe's words: what is left can be
    taken back, all of it when no amount is named, never more."""

    used_up: str  # the refusal once nothing is left, formatted with `of`, and its code
    used_up_code: str
    too_large: str  # formatted with `amount` and `left`

    def amount(self, asked: Any, *, left: int, of: str) -> Any:
        if left <= 0:
            raise bad_request(self.used_up.format(of=of), code=self.used_up_code)
        amount = left if asked is None else as_int(asked)
        if isinstance(amount, int) and amount > left:
            message = self.too_large.format(amount=amount, left=left)
            raise bad_request(message, code="amount_too_large", param="amount")
        return amount


REFUND = TakingBack(
    "Charge {of} has already been refunded.",
    "charge_already_refunded",
    "Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
)
REVERSAL = TakingBack(
    "Transfer {of} has already been fully reversed.",
    "transfer_already_reversed",
    "Reversal amount ({amount}) is greater than the amount left on the transfer ({left}).",
)


def emit(event_type: str, obj: Any, **extra: Any) -> ls.Event:
    """Create an event for `obj` and schedule its delivery; `extra` sets envelope fields."""
    event = ls.Event(event_type, obj)
    event.api_version = API_VERSION
    previous = extra.pop("previous_attributes", None)
    if previous is not None:
        event.data["previous_attributes"] = previous
    for key, value in extra.items():
        setattr(event, key, value)
    ls.schedule_webhook(event)
    return event


def list_of(
    cls: type,
    url: str,
    *,
    limit: Any = None,
    starting_after: Any = None,
    ending_before: Any = None,
    created: Any = None,
    **filters: Any,
) -> ls.List:
    """A Stripe list of `cls` objects, newest first, filtered on `created` and on attributes."""
    items = [value for key, value in ls.store.items() if key.startswith(cls.object + ":")]
    items.reverse()
    items.sort(key=lambda obj: obj.created, reverse=True)
    if created is not None:
        if not isinstance(created, dict):
            created = {"eq": created}
        bounds = {op: as_int(value) for op, value in created.items()}
        if not all(op in ("gt", "gte", "lt", "lte", "eq") for op in bounds) or not all(
            isinstance(value, int) for value in bounds.values()
        ):
            raise bad_request("Invalid created filter", param="created")
        checks = {
            "gt": lambda c, v: c > v,
            "gte": lambda c, v: c >= v,
            "lt": lambda c, v: c < v,
            "lte": lambda c, v: c <= v,
            "eq": lambda c, v: c == v,
        }
        items = [o for o in items if all(checks[op](o.created, v) for op, v in bounds.items())]
    for name, value in filters.items():
        if value is not None:
            items = [o for o in items if getattr(o, name, None) == value]
    if ending_before is not None:
        raise UserError(500, "Not implemented: ending_before")
    result = ls.List(url, limit=limit, starting_after=starting_after)
    result._list = items
    return result


def listed_by(*filters: str) -> classmethod:
    """An `_api_list_all` for a resource: its objects newest first (`list_of`), filtered on
    `created` and on the named attributes; any other parameter is a 400, as at Stripe."""

    def api_list_all(cls, url, limit=None, starting_after=None, created=None, **params):
        unexpected = [name for name in params if name not in filters]
        if unexpected:
            raise UserError(400, "Unexpected " + ", ".join(unexpected))
        return list_of(
            cls, url, limit=limit, starting_after=starting_after, created=created, **params
        )

    return classmethod(api_list_all)


@classmethod
def not_allowed(cls, *args: Any, **kwargs: Any) -> None:
    """A method Stripe does not offer on a resource (a 405, as at Stripe)."""
    raise UserError(405, "Method Not Allowed")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None):
    return web.json_response(
        data,
        status=status,
        headers=headers,
        dumps=lambda x: json.dumps(x, indent=2, sort_keys=True) + "\n",
    )
