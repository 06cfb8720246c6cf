"""What can go wrong when talking to the payment provider, in the project's own terms.

Two families matter to callers: `PaymentProviderUnavailable` (network, timeouts, Stripe 5xx, rate
limits: nothing was refused, try again later with the same idempotency key) and
`PaymentProviderError` (Stripe refused the request: a declined card, an invalid request, a
restricted account; retrying the same request will not help).
"""

from django.utils.translation import gettext_lazy

from core.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"


class PaymentProviderUnavailable(PaymentError):
    """Stripe could not be reached or failed on its side; the same request may be retried."""

    status_code = 503
    code = "payment_provider_unavailable"
    default_detail = gettext_lazy("Card payments are unavailable for a moment. Please try again.")

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.default_detail)

    def describe(self) -> str:
        """The detail and the network error behind it, for logs and cron's mail."""
        cause = self.__cause__
        if cause is None:
            return str(self.detail)
        return f"{self.detail} ({type(cause).__name__}: {cause})"


class PaymentProviderError(PaymentError):
    """Stripe refused the request; `stripe_code` is Stripe's error code when it gave one."""

    status_code = 409
    code = "payment_provider_error"

    def __init__(
        self,
        detail: str,
        *,
        stripe_code: str | None = None,
        decline_code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.stripe_code = stripe_code
        self.decline_code = decline_code
        self.http_status = http_status


class PaymentsNotConfigured(PaymentError):
    """No Stripe secret key is set: card payments are off and invoice settlement still works."""

    code = "payments_not_configured"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or gettext_lazy("Card payments are not configured on this server."))


class WebhookSignatureInvalid(PaymentError):
    """A webhook whose signature is missing, forged or too old, or whose body is not an event."""

    status_code = 400
    code = "invalid_signature"
