"""The lifecycles of requests for quotes, quotes, agreements and standing-order drafts.
The tables are the documentation; a move not in a table is a 409 `transition_not_allowed`."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions

Table = dict[str, tuple[frozenset[str], str]]


class RfqStatus(models.TextChoices):
    OPEN = "open", _("Open for quotes")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Quoted")
    COUNTERED = "countered", _("Countered")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    SUPERSEDED = "superseded", _("Superseded")


class DraftStatus(models.TextChoices):
    DRAFTED = "drafted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    SKIPPED = "skipped", _("Skipped")


R, Q, A, D = RfqStatus, QuoteStatus, AgreementStatus, DraftStatus
LIVE_QUOTE = frozenset({Q.SUBMITTED, Q.COUNTERED})

RFQ_TRANSITIONS: Table = {
    "award": (frozenset({R.OPEN}), R.AWARDED),
    "cancel": (frozenset({R.OPEN}), R.CANCELLED),
    "expire": (frozenset({R.OPEN}), R.EXPIRED),
}

QUOTE_TRANSITIONS: Table = {
    # Each counter is a new immutable version; the quote's status says who spoke last.
    "counter": (LIVE_QUOTE, Q.COUNTERED),
    "answer": (LIVE_QUOTE, Q.SUBMITTED),
    "award": (LIVE_QUOTE, Q.AWARDED),
    "pass_over": (LIVE_QUOTE, Q.NOT_AWARDED),
    "withdraw": (LIVE_QUOTE, Q.WITHDRAWN),
    "expire": (LIVE_QUOTE, Q.EXPIRED),
}

AGREEMENT_TRANSITIONS: Table = {
    "accept": (frozenset({A.PROPOSED}), A.ACTIVE),
    "end": (frozenset({A.PROPOSED, A.ACTIVE}), A.ENDED),
    "supersede": (frozenset({A.PROPOSED, A.ACTIVE}), A.SUPERSEDED),
}

DRAFT_TRANSITIONS: Table = {
    "confirm": (frozenset({D.DRAFTED}), D.CONFIRMED),
    "skip": (frozenset({D.DRAFTED}), D.SKIPPED),
}

ACTION_LABELS = {
    "award": pgettext_lazy("quotes action", "award"),
    "cancel": pgettext_lazy("quotes action", "cancel"),
    "expire": pgettext_lazy("quotes action", "close"),
    "counter": pgettext_lazy("quotes action", "counter"),
    "answer": pgettext_lazy("quotes action", "answer"),
    "pass_over": pgettext_lazy("quotes action", "close"),
    "withdraw": pgettext_lazy("quotes action", "withdraw"),
    "accept": pgettext_lazy("quotes action", "accept"),
    "end": pgettext_lazy("quotes action", "end"),
    "supersede": pgettext_lazy("quotes action", "replace"),
    "confirm": pgettext_lazy("quotes action", "confirm"),
    "skip": pgettext_lazy("quotes action", "skip"),
}


def _ensure(table: Table, statuses: type[models.TextChoices], refusal: Any) -> Any:
    def ensure(action: str, current: str) -> str:
        return transitions.ensure_transition(
            table, action, current, statuses=statuses, refusal=refusal, action_labels=ACTION_LABELS
        )

    return ensure


ensure_rfq_transition = _ensure(
    RFQ_TRANSITIONS, RfqStatus, _("Cannot %(action)s a request whose status is “%(current)s”.")
)
ensure_quote_transition = _ensure(
    QUOTE_TRANSITIONS, QuoteStatus, _("Cannot %(action)s a quote whose status is “%(current)s”.")
)
ensure_agreement_transition = _ensure(
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    _("Cannot %(action)s an agreement whose status is “%(current)s”."),
)
ensure_draft_transition = _ensure(
    DRAFT_TRANSITIONS,
    DraftStatus,
    _("Cannot %(action)s a draft order whose status is “%(current)s”."),
)
