"""Drive the stand-in from a test: its `/_minga/` hooks and a few plain Stripe API calls.

Every method is one HTTP request to the stand-in (the tests talk to a real server, never to mocks of
the SDK). `StripeTestMode` offers the part of the same interface that works against Stripe's own
test mode, so one test body can run against both.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import requests

STANDIN_SECRET_KEY = "sk_test_minga_standin"
STANDIN_PUBLISHABLE_KEY = "pk_test_minga_standin"
STANDIN_WEBHOOK_SECRET = "whsec_minga_standin"


class StandinError(AssertionError):
    pass


class _StripeApi:
    """Plain Stripe API calls with the secret key: what a browser or Stripe itself would do."""

    def __init__(self, api_base: str, secret_key: str):
        self.api_base = api_base.rstrip("/")
        self.secret_key = secret_key
        self.session = requests.Session()
        self.session.auth = (secret_key, "")

    def api(self, method: str, path: str, **params: Any) -> requests.Response:
        url = self.api_base + path
        if method == "GET":
            return self.session.get(url, params=params, timeout=30)
        return self.session.request(method, url, data=params, timeout=30)

    def api_get(self, path: str, **params: Any) -> dict[str, Any]:
        response = self.api("GET", path, **params)
        if response.status_code != 200:
            raise StandinError(f"GET {path}: {response.status_code} {response.text}")
        return response.json()

    def confirm_payment_intent(self, intent_id: str, *, succeed: bool = True) -> dict[str, Any]:
        """Confirm as Stripe.js would, with Stripe's test card that succeeds or is declined."""
        method = "pm_card_visa" if succeed else "pm_card_visa_chargeDeclined"
        response = self.api(
            "POST",
            f"/v1/payment_intents/{intent_id}/confirm",
            payment_method=method,
            return_url="https://minga.example/checkout/return/",
        )
        if response.status_code not in (200, 402):
            raise StandinError(f"confirm {intent_id}: {response.status_code} {response.text}")
        return self.api_get(f"/v1/payment_intents/{intent_id}")


class StandinDriver(_StripeApi):
    """The local stand-in: all of `_StripeApi` plus the test hooks."""

    kind = "standin"
    currency = "EUR"

    def __init__(
        self,
        url: str,
        *,
        secret_key: str = STANDIN_SECRET_KEY,
        publishable_key: str = STANDIN_PUBLISHABLE_KEY,
        webhook_secret: str = STANDIN_WEBHOOK_SECRET,
    ):
        super().__init__(url, secret_key)
        self.url = url.rstrip("/")
        self.publishable_key = publishable_key
        self.webhook_secret = webhook_secret

    # -- plumbing

    def _hook(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.session.request(method, self.url + path, json=body or {}, timeout=60)
        if response.status_code >= 400:
            raise StandinError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    @property
    def sink_url(self) -> str:
        """An endpoint of the stand-in itself that accepts every webhook with 200."""
        return self.url + "/_minga/sink"

    def reset(self) -> None:
        """Forget every object, event, delivery, webhook endpoint, fault and idempotent result."""
        self._hook("POST", "/_minga/reset")

    # -- webhooks

    def register_webhook(
        self, url: str, *, secret: str | None = None, events: list[str] | None = None
    ) -> str:
        body = {"url": url, "secret": secret or self.webhook_secret, "events": events}
        return self._hook("POST", "/_minga/webhooks", body)["id"]

    def clear_webhooks(self) -> None:
        self._hook("DELETE", "/_minga/webhooks")

    def hold_webhooks(self, hold: bool = True) -> None:
        """While held, events are recorded but only delivered by `deliver(event_id)`."""
        self._hook("POST", "/_minga/webhooks/settings", {"hold": hold})

    def set_delivery_delay(self, seconds: float) -> None:
        self._hook("POST", "/_minga/webhooks/settings", {"delay": seconds})

    def events(self, type: str | None = None) -> list[dict[str, Any]]:
        """Events in creation order: `{id, type, object_id, created, deliveries}`."""
        path = "/_minga/events" + (f"?type={type}" if type else "")
        return self._hook("GET", path)["data"]

    def deliver(self, event_id: str) -> list[dict[str, Any]]:
        """Deliver (or redeliver) one event now, freshly signed; returns each attempt."""
        return self._hook("POST", f"/_minga/events/{event_id}/deliver")["data"]

    def deliveries(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every attempt: `{event, type, object_id, url, payload, signature, status, error}`."""
        path = "/_minga/deliveries" + (f"?type={type}" if type else "")
        return self._hook("GET", path)["data"]

    def wait_for_event(
        self, type: str, *, object_id: str | None = None, timeout: float = 10
    ) -> dict[str, Any]:
        return self._wait(lambda: self.events(type), object_id, timeout, f"event {type}")

    def wait_for_delivery(
        self, type: str, *, object_id: str | None = None, timeout: float = 10
    ) -> dict[str, Any]:
        return self._wait(lambda: self.deliveries(type), object_id, timeout, f"delivery {type}")

    def _wait(self, fetch, object_id, timeout, what):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while True:
            found = [item for item in fetch() if object_id in (None, item["object_id"])]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise StandinError(f"no {what} for {object_id or 'any object'} in {timeout}s")
            time.sleep(0.05)

    # -- payments

    def confirm_payment_intent(self, intent_id: str, *, succeed: bool = True) -> dict[str, Any]:
        outcome = "succeeded" if succeed else "failed"
        return self._hook(
            "POST", f"/_minga/payment_intents/{intent_id}/confirm", {"outcome": outcome}
        )

    def dispute(
        self, charge_id: str, *, amount: int | None = None, reason: str = "fraudulent"
    ) -> dict[str, Any]:
        """Open a dispute on a charge; emits `charge.dispute.created`."""
        body = {"amount": amount, "reason": reason}
        return self._hook("POST", f"/_minga/charges/{charge_id}/dispute", body)

    def fail_refund(
        self, refund_id: str, *, failure_reason: str = "expired_or_canceled_card"
    ) -> dict[str, Any]:
        """A refund that succeeded fails later; emits `refund.updated`, `charge.refund.updated`
        and `refund.failed`."""
        body = {"failure_reason": failure_reason}
        return self._hook("POST", f"/_minga/refunds/{refund_id}/fail", body)

    # -- Connect

    def onboard(self, account_id: str, *, notify: bool = True) -> dict[str, Any]:
        """Complete onboarding: payouts and transfers enabled; emits `account.updated`."""
        return self._hook("POST", f"/_minga/accounts/{account_id}/onboard", {"notify": notify})

    def restrict(self, account_id: str, *, notify: bool = True) -> dict[str, Any]:
        """Restrict the account: payouts off and transfers to it fail."""
        return self._hook("POST", f"/_minga/accounts/{account_id}/restrict", {"notify": notify})

    def set_account(self, account_id: str, *, notify: bool = True, **state: Any) -> dict[str, Any]:
        """Set `details_submitted`, `charges_enabled`, `payouts_enabled`, `transfers`
        (active/inactive/pending) or `disabled_reason`; emits `account.updated` on change."""
        body = {"notify": notify, **state}
        return self._hook("POST", f"/_minga/accounts/{account_id}/state", body)

    def follow_account_link(self, url: str, *, complete: bool = True) -> str:
        """Visit an account link as the seller would; returns where Stripe redirects them."""
        params = {} if complete else {"outcome": "incomplete"}
        response = self.session.get(url, params=params, allow_redirects=False, timeout=30)
        if response.status_code != 302:
            raise StandinError(f"account link {url}: {response.status_code} {response.text}")
        return response.headers["Location"]

    def expire_account_link(self, url: str) -> None:
        self._hook("POST", "/_minga/account_links/expire", {"url": url})

    # -- faults

    def fail(
        self,
        mode: str = "error",
        *,
        path: str = "/v1/",
        method: str | None = None,
        count: int | None = None,
        status: int = 500,
        delay: float = 0,
    ) -> None:
        """Make `/v1/` requests under `path` fail: `error` answers `status`; `drop` closes the
        connection unanswered; `drop_after` runs the request then closes it; `delay` waits.
        `count` limits how many requests are hit (None: until `clear_faults`)."""
        body = {
            "mode": mode,
            "path": path,
            "method": method,
            "count": count,
            "status": status,
            "delay": delay,
        }
        self._hook("POST", "/_minga/faults", body)

    def clear_faults(self) -> None:
        self._hook("DELETE", "/_minga/faults")

    @contextlib.contextmanager
    def failing(self, mode: str = "error", **options: Any) -> Iterator[None]:
        self.fail(mode, **options)
        try:
            yield
        finally:
            self.clear_faults()


class StripeTestMode(_StripeApi):
    """Stripe's real test mode (`sk_test_...`): no hooks, webhooks need `stripe listen`."""

    kind = "stripe"

    def __init__(
        self, secret_key: str, *, destination_account: str | None = None, currency: str = "USD"
    ):
        super().__init__("https://api.stripe.com", secret_key)
        self.destination_account = destination_account
        self.currency = currency
