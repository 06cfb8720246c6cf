"""The lifecycle of a listing. The table is the documentation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


S = ListingStatus

# action -> (allowed from, to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit_for_review": (frozenset({S.DRAFT, S.REJECTED}), S.PENDING_REVIEW),
    "publish_directly": (frozenset({S.DRAFT, S.REJECTED}), S.PUBLISHED),
    "approve": (frozenset({S.PENDING_REVIEW}), S.PUBLISHED),
    "reject": (frozenset({S.PENDING_REVIEW}), S.REJECTED),
    # An appeal against a rejection that a second moderator upholds publishes the listing.
    "overturn_rejection": (frozenset({S.REJECTED}), S.PUBLISHED),
    "suspend": (frozenset({S.PUBLISHED, S.PENDING_REVIEW}), S.SUSPENDED),
    "reinstate": (frozenset({S.SUSPENDED}), S.PUBLISHED),
    "send_back_to_review": (frozenset({S.PUBLISHED}), S.PENDING_REVIEW),
    "archive": (frozenset({S.DRAFT, S.PENDING_REVIEW, S.PUBLISHED, S.REJECTED}), S.ARCHIVED),
}


# The actions as people say them, for messages ("Cannot %(action)s a listing …").
ACTION_LABELS = {
    "submit_for_review": pgettext_lazy("listing action", "submit for review"),
    "publish_directly": pgettext_lazy("listing action", "publish"),
    "approve": pgettext_lazy("listing action", "approve"),
    "reject": pgettext_lazy("listing action", "reject"),
    "overturn_rejection": pgettext_lazy("listing action", "overturn the rejection of"),
    "suspend": pgettext_lazy("listing action", "suspend"),
    "reinstate": pgettext_lazy("listing action", "reinstate"),
    "send_back_to_review": pgettext_lazy("listing action", "send back to review"),
    "archive": pgettext_lazy("listing action", "archive"),
}


def ensure_transition(action: str, current: str) -> str:
    """Return the status that `action` leads to from `current`, or refuse it."""
    return transitions.ensure_transition(
        TRANSITIONS,
        action,
        current,
        statuses=ListingStatus,
        refusal=_("Cannot %(action)s a listing whose status is “%(current)s”."),
        action_labels=ACTION_LABELS,
    )


class ImportStatus(models.TextChoices):
    """A catalogue import run by the worker (marketplace.tasks.catalogue_import)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


IS = ImportStatus

# A redelivered task finds its import still "running" and starts it again: the import writes in
# one transaction with the "done"/"failed" status, so a run that died left nothing behind.
IMPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start": (frozenset({IS.QUEUED, IS.RUNNING}), IS.RUNNING),
    "finish": (frozenset({IS.RUNNING}), IS.DONE),
    "fail": (frozenset({IS.RUNNING}), IS.FAILED),
    # The task crashed and its retries are spent (marketplace.tasks): tell the person.
    "give_up": (frozenset({IS.QUEUED, IS.RUNNING}), IS.FAILED),
}
IMPORT_FINISHED = frozenset({IS.DONE, IS.FAILED})


def ensure_import_transition(action: str, current: str) -> str:
    return transitions.ensure_transition(
        IMPORT_TRANSITIONS,
        action,
        current,
        statuses=ImportStatus,
        refusal=_("Cannot %(action)s an import whose status is “%(current)s”."),
    )
