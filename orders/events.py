"""The kinds of line an order's timeline has: one enum, its labels in people's words.

Every writer of an `OrderEvent` passes one of these members (the database refuses any other
value). Pages show the label, never the code; provider ids (`pi_…`, `tr_…`, `re_…`) go in the
event's `reference`, which only the admin and the API show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    # the order's transitions (the values are the actions of orders/state.py)
    PLACED = "place", _("Placed")
    ACCEPTED = "accept", _("Accepted")
    DECLINED = "decline", _("Declined")
    FULFILLED = "fulfil", _("Fulfilled")
    COMPLETED = "complete", _("Completed")
    CANCELLED = "cancel", _("Cancelled")
    # documents and settlement by invoice
    INVOICE_ISSUED = "issue_invoice", _("Invoice issued")
    CREDIT_NOTE_ISSUED = "issue_credit_note", _("Credit note issued")
    MARKED_PAID = "mark_paid", _("Marked paid")
    PAYMENT_RECORDED = "payment_recorded", _("Part of the invoice paid")
    WRITTEN_OFF = "write_off", _("Invoice written off")
    # a person's attention
    FLAGGED = "flag", _("Put aside for a moderator")
    UNFLAGGED = "unflag", _("Flag cleared")
    # card settlement, written by Minga on Stripe's word
    PAYMENT_SUCCEEDED = "payment_succeeded", _("Card payment received")
    TRANSFER_SENT = "transfer_sent", _("Seller's share transferred")
    REFUND_REQUESTED = "refund_requested", _("Refund to the buyer's card requested")
    REFUND_SUCCEEDED = "refund_succeeded", _("Refunded to the buyer's card")
    REFUND_FAILED = "refund_failed", _("Refund to the buyer's card failed")
    REFUND_PAID_OUTSIDE = "refund_paid_outside", _("Refund paid to the buyer outside Stripe")
    TRANSFER_REVERSED = "transfer_reversed", _("Seller's share taken back")
    # a line whose old kind was not recognised when kinds became an enum (migration 0003)
    NOTE = "note", _("Note")


# Kinds whose reference is a document number people may read (the others' are provider ids).
DOCUMENT_KINDS = frozenset({EventKind.INVOICE_ISSUED, EventKind.CREDIT_NOTE_ISSUED})

# The free strings written before kinds were an enum, and the kind each one is now.
RENAMED = {
    "transfer": EventKind.TRANSFER_SENT.value,
    "refund": EventKind.REFUND_SUCCEEDED.value,
    "transfer_reversal": EventKind.TRANSFER_REVERSED.value,
}


def event_label(kind: str) -> str:
    """A kind as people read it; an unknown code is never shown raw."""
    if kind in EventKind.values:
        return str(EventKind(kind).label)
    return str(EventKind.NOTE.label)
