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
# A seller's listing that is not out yet, or was sent back: it may be submitted or published.
SUBMITTABLE = frozenset({S.DRAFT, S.REJECTED})

# A status changes only through LIFECYCLE.ensure (the table is `action -> (allowed from, to)`).
LIFECYCLE = transitions.Lifecycle(
    ListingStatus,
    refusal=_("Cannot %(action)s a listing whose status is “%(current)s”."),
    table={
        "submit_for_review": (SUBMITTABLE, S.PENDING_REVIEW),
        "publish_directly": (SUBMITTABLE, S.PUBLISHED),
        "approve": ({S.PENDING_REVIEW}, S.PUBLISHED),
        "reject": ({S.PENDING_REVIEW}, S.REJECTED),
        # An appeal against a rejection that a second moderator upholds publishes the listing.
        "overturn_rejection": ({S.REJECTED}, S.PUBLISHED),
        "suspend": ({S.PUBLISHED, S.PENDING_REVIEW}, S.SUSPENDED),
        "reinstate": ({S.SUSPENDED}, S.PUBLISHED),
        "send_back_to_review": ({S.PUBLISHED}, S.PENDING_REVIEW),
        "archive": ({S.DRAFT, S.PENDING_REVIEW, S.PUBLISHED, S.REJECTED}, S.ARCHIVED),
    },
    # The actions as people say them, for messages ("Cannot %(action)s a listing …").
    labels={
        "submit_for_review": pgettext_lazy("listing action", "submit for review"),
        "publish_directly": pgettext_lazy("listing action", "publish"),
        "approve": pgettext_lazy("listing action", "approve"),
        "reject": pgettext_lazy("listing action", "reject"),
        "overturn_rejection": pgettext_lazy("listing action", "overturn the rejection of"),
        "suspend": pgettext_lazy("listing action", "suspend"),
        "reinstate": pgettext_lazy("listing action", "reinstate"),
        "send_back_to_review": pgettext_lazy("listing action", "send back to review"),
        "archive": pgettext_lazy("listing action", "archive"),
    },
)
ensure_transition = LIFECYCLE.ensure


class ImportStatus(models.TextChoices):
    """A catalogue import run by the worker (marketplace.tasks.catalogue_import)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


IMPORT_FINISHED = frozenset({ImportStatus.DONE, ImportStatus.FAILED})
IMPORT_UNFINISHED = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})
# A redelivered task finds its import still "running" and starts it again: the import writes in
# one transaction with the "done"/"failed" status, so a run that died left nothing behind.
IMPORT_LIFECYCLE = transitions.Lifecycle(
    ImportStatus,
    refusal=_("Cannot %(action)s an import whose status is “%(current)s”."),
    table={
        "start": (IMPORT_UNFINISHED, ImportStatus.RUNNING),
        "finish": ({ImportStatus.RUNNING}, ImportStatus.DONE),
        "fail": ({ImportStatus.RUNNING}, ImportStatus.FAILED),
        # The task crashed and its retries are spent (marketplace.tasks): tell the person.
        "give_up": (IMPORT_UNFINISHED, ImportStatus.FAILED),
    },
)
ensure_import_transition = IMPORT_LIFECYCLE.ensure
