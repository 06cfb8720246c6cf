"""Domain errors: a rule of the business refused the request (answered as 409, or 404/403).

The detail is a translated text (`gettext`, or `gettext_lazy` for constants): clients read it in
the request's language and branch on the untranslated `code`."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class DomainError(Exception):
    """A request that is well formed but not allowed by the current state of things."""

    status_code = 409
    code = "conflict"

    def __init__(self, detail: "str | _StrPromise", *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


class NotPermitted(DomainError):
    status_code = 403
    code = "permission_denied"


class NotFound(DomainError):
    """The object does not exist, or is not for this user to see (answered as 404)."""

    status_code = 404
    code = "not_found"


# The registry of every `code` an answer's `{detail, code}` body can carry: code → (HTTP status,
# when). docs/api.md ("Error codes") lists the same codes; tests/core/test_error_codes.py checks
# that every code the code raises is here and documented. Field-level validation codes (400, a
# message per field) are not codes of the body and are not listed.
ERROR_CODES: dict[str, tuple[int, str]] = {
    # Any request
    "parse_error": (400, "the body is not valid JSON"),
    "not_authenticated": (401, "sign in first"),
    "authentication_failed": (401, "the token is unknown or the sign-in failed"),
    "permission_denied": (403, "signed in, but not allowed"),
    "not_found": (404, "does not exist, or is not for you to see"),
    "method_not_allowed": (405, "the path does not answer this method"),
    "unsupported_media_type": (415, "wrong Content-Type"),
    "throttled": (429, "too many requests; Retry-After says when to try again"),
    "error": (500, "a bug on our side (logged)"),
    "unavailable": (503, "the database does not answer; nothing was changed"),
    "conflict": (409, "not allowed in the current state (no more specific code)"),
    "transition_not_allowed": (409, "the object's status does not allow this step"),
    # Accounts
    "account_locked": (429, "too many failed sign-ins for this e-mail, even the right password"),
    # Cooperatives
    "last_owner": (409, "a cooperative always keeps an owner: name another owner first"),
    "invitation_revoked": (409, "the invitation was withdrawn"),
    "invitation_used": (409, "the invitation was already accepted"),
    "invitation_expired": (409, "the invitation expired; ask for a new one"),
    "already_member": (409, "you are already a member of this cooperative"),
    "verification_pending": (409, "a verification request is already pending"),
    # Catalogue
    "listing_archived": (409, "archived listings cannot be edited"),
    "image_gone": (409, "the image was removed meanwhile"),
    "cooperative_suspended": (
        409,
        "the cooperative is suspended: docs/security.md says what it may do",
    ),
    "encoding": (400, "catalogue import: the file is not UTF-8 text"),
    "malformed": (400, "catalogue import: the file is not CSV"),
    "empty": (400, "catalogue import: the file is empty"),
    "header": (400, "catalogue import: missing or unknown columns"),
    "too_large": (400, "catalogue import: the file is too large"),
    "too_many_rows": (400, "catalogue import: more rows than one import takes"),
    "invalid_rows": (
        400,
        "catalogue import: rows with errors (`errors` lists them); nothing saved",
    ),
    # Moderation
    "appeal_window_closed": (409, "the time to appeal this decision is over"),
    "decision_not_in_force": (409, "the decision appealed is no longer in force"),
    "already_appealed": (409, "the decision was already appealed (one appeal each)"),
    "not_appealable": (409, "only rejections and suspensions can be appealed"),
    # Orders
    "cart_full": (409, "the cart holds as many lines as it can"),
    "cart_empty": (409, "the cart is empty"),
    "price_changed": (409, "checkout: a price changed since it was added to the cart"),
    "listing_unavailable": (409, "checkout: a listing is gone or no longer published"),
    "seller_suspended": (409, "checkout: a seller cooperative is suspended"),
    "own_listing": (409, "checkout: a cooperative cannot order from itself"),
    "below_minimum": (409, "checkout: below the listing's minimum order"),
    "insufficient_stock": (409, "checkout: more than the stock there is now"),
    "idempotency_key_reused": (
        409,
        "checkout or invoice payment: the key was used for a different cart or payment",
    ),
    "idempotency_key_in_use": (409, "checkout: the same key is being placed right now"),
    "nothing_to_pay": (409, "checkout: nothing to pay by card; choose invoice"),
    "no_card_payable_seller": (409, "checkout: no seller in the cart takes cards"),
    "seller_not_card_payable": (409, "checkout: a seller in the cart does not take cards"),
    "not_invoiced": (409, "card payments are marked paid by the payment provider"),
    "already_paid": (409, "the order is already marked paid"),
    "overpayment": (409, "invoice payment: more than is left to pay; nothing was recorded"),
    "clearing_stale": (
        409,
        "clearing run: an invoice changed since the proposal; nothing was set off",
    ),
    # Mutual credit (issue 18)
    "credit_terms_outdated": (409, "credit: accept the current version of the terms"),
    "credit_line_needs_second_member": (
        409,
        "credit line: a second committee member must confirm a line beyond the threshold",
    ),
    "credit_not_joined": (409, "credit payment: buyer or seller has not joined the system"),
    "credit_line_exceeded": (409, "credit payment: the buyer would go below its credit line"),
    "credit_upper_limit_exceeded": (
        409,
        "credit payment: the seller would go above its upper limit",
    ),
    "credit_not_accepted": (409, "credit payment: the seller accepts no part of this in credit"),
    "credit_share_exceeded": (
        409,
        "credit payment: more than the share of the order the seller accepts in credit",
    ),
    "credit_order_not_open": (409, "credit payment: the order is no longer open to payment"),
    "fee_overpayment": (409, "fee payment: more than the seller owes; nothing was recorded"),
    # Payments
    "payment_error": (409, "the card payment could not be made"),
    "payment_provider_error": (409, "the payment provider refused the request"),
    "payment_provider_unavailable": (503, "the payment provider could not be reached"),
    "payments_not_configured": (409, "card payments are not configured on this server"),
    "payment_method_unavailable": (409, "this payment method is not offered for the order"),
    "payment_pending": (409, "the card payment is not settled yet"),
    "invalid_signature": (400, "webhook: missing, forged or stale signature"),
    "event_not_ready": (503, "webhook: the checkout is not committed yet; deliver again later"),
    # Added with hardening, payouts, labels and accounts (issues 13 and 14)
    "invalid_path": (
        400,
        "a NUL or other forbidden character in the path, a query parameter or a header",
    ),
    "bad_request": (400, "a request Django refused before the API (malformed)"),
    "disallowed_host": (400, "the Host header names no address this server answers"),
    "too_many_fields": (400, "a form body with more fields than any page sends"),
    "request_too_large": (413, "the body is larger than the API takes"),
    "control_characters": (400, "a text field holds control or bidi-override characters"),
    "not_one_line": (400, "a one-line field (a name, a title) holds a line break"),
    "email_unconfirmed": (
        409,
        "the account's e-mail is unconfirmed past the grace period: confirm it first",
    ),
    "price_change_unconfirmed": (
        409,
        "the price changes 50-fold or more: send again with `confirm_price_change: true`",
    ),
    "checkout_not_payable": (
        409,
        "the card checkout expired or has an order cancelled or declined",
    ),
    "card_payouts_unsupported_country": (
        409,
        "Stripe Connect does not serve the cooperative's country",
    ),
    "amount_not_representable": (409, "Stripe cannot take this amount exactly in this currency"),
    # Requests for quotes and agreements (issue 19)
    "rfq_closed": (409, "quotes: the request is closed, awarded or past its deadline for answers"),
    "quote_exists": (409, "quotes: the cooperative already quoted; send a counter instead"),
    "counter_limit_reached": (
        409,
        "quotes: the quote was countered as many times as the request allows",
    ),
    "quote_version_outdated": (409, "quotes: award only the latest version of a quote"),
    "quote_not_awardable": (409, "quotes: the quote was withdrawn or has expired"),
    "rfq_already_awarded": (409, "quotes: the request was already awarded (a different award)"),
    "award_mixed_currencies": (409, "quotes: the awarded quotes are in different currencies"),
}
