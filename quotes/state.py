"""The lifecycles of requests for quotes, quotes, agreements and standing-order drafts, each its
statuses and its table. The tables are the documentation; a move not in a table is a 409
`transition_not_allowed`, and a status changes only through a LIFECYCLE's `ensure`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions

# The actions as people say them, for messages ("Cannot %(action)s a quote …"), in every table.
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


class RfqStatus(models.TextChoices):
    OPEN = "open", _("Open for quotes")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


RFQ_LIFECYCLE = transitions.Lifecycle.closing(
    RfqStatus,
    refusal=_("Cannot %(action)s a request whose status is “%(current)s”."),
    closes={"award": RfqStatus.AWARDED, "cancel": RfqStatus.CANCELLED, "expire": RfqStatus.EXPIRED},
    labels=ACTION_LABELS,
)
ensure_rfq_transition = RFQ_LIFECYCLE.ensure


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Quoted")
    COUNTERED = "countered", _("Countered")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


LIVE_QUOTE = frozenset({QuoteStatus.SUBMITTED, QuoteStatus.COUNTERED})
QUOTE_LIFECYCLE = transitions.Lifecycle(
    QuoteStatus,
    refusal=_("Cannot %(action)s a quote whose status is “%(current)s”."),
    table={
        # Each counter is a new immutable version; the quote's status says who spoke last.
        "counter": (LIVE_QUOTE, QuoteStatus.COUNTERED),
        "answer": (LIVE_QUOTE, QuoteStatus.SUBMITTED),
        "award": (LIVE_QUOTE, QuoteStatus.AWARDED),
        "pass_over": (LIVE_QUOTE, QuoteStatus.NOT_AWARDED),
        "withdraw": (LIVE_QUOTE, QuoteStatus.WITHDRAWN),
        "expire": (LIVE_QUOTE, QuoteStatus.EXPIRED),
    },
    labels=ACTION_LABELS,
)
ensure_quote_transition = QUOTE_LIFECYCLE.ensure


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    SUPERSEDED = "superseded", _("Superseded")


# Proposed or in force: what an agreement is until it ends or another replaces it.
LIVE_AGREEMENT = frozenset({AgreementStatus.PROPOSED, AgreementStatus.ACTIVE})
AGREEMENT_LIFECYCLE = transitions.Lifecycle(
    AgreementStatus,
    refusal=_("Cannot %(action)s an agreement whose status is “%(current)s”."),
    table={
        "accept": ({AgreementStatus.PROPOSED}, AgreementStatus.ACTIVE),
        "end": (LIVE_AGREEMENT, AgreementStatus.ENDED),
        "supersede": (LIVE_AGREEMENT, AgreementStatus.SUPERSEDED),
    },
    labels=ACTION_LABELS,
)
ensure_agreement_transition = AGREEMENT_LIFECYCLE.ensure


class DraftStatus(models.TextChoices):
    DRAFTED = "drafted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    SKIPPED = "skipped", _("Skipped")


DRAFT_LIFECYCLE = transitions.Lifecycle.closing(
    DraftStatus,
    refusal=_("Cannot %(action)s a draft order whose status is “%(current)s”."),
    closes={"confirm": DraftStatus.CONFIRMED, "skip": DraftStatus.SKIPPED},
    labels=ACTION_LABELS,
)
ensure_draft_transition = DRAFT_LIFECYCLE.ensure
