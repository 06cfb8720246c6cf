"""The verification lifecycle of a cooperative. The table is the documentation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import transitions


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    PENDING = "pending", _("Verification pending")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


S = VerificationStatus

# A status changes only through LIFECYCLE.ensure (the table is `action -> (allowed from, to)`).
LIFECYCLE = transitions.Lifecycle(
    VerificationStatus,
    refusal=_("Cannot %(action)s a cooperative whose status is “%(current)s”."),
    table={
        "request_verification": ({S.UNVERIFIED}, S.PENDING),
        "verify": ({S.PENDING, S.UNVERIFIED}, S.VERIFIED),
        "reject": ({S.PENDING}, S.UNVERIFIED),
        "suspend": ({S.UNVERIFIED, S.PENDING, S.VERIFIED}, S.SUSPENDED),
        # Reinstating gives back what the suspension took, and no more: a cooperative that was
        # verified before is verified again; any other goes back to unverified (the suspension
        # closed its pending request). The moderation service picks the row from the suspension's
        # log entry.
        "reinstate": ({S.SUSPENDED}, S.VERIFIED),
        "reinstate_unverified": ({S.SUSPENDED}, S.UNVERIFIED),
    },
    # The actions as people say them, for messages ("Cannot %(action)s a cooperative …").
    labels={
        "request_verification": pgettext_lazy("cooperative action", "ask to verify"),
        "verify": pgettext_lazy("cooperative action", "verify"),
        "reject": pgettext_lazy("cooperative action", "reject the verification of"),
        "suspend": pgettext_lazy("cooperative action", "suspend"),
        "reinstate": pgettext_lazy("cooperative action", "reinstate"),
        "reinstate_unverified": pgettext_lazy("cooperative action", "reinstate"),
    },
)
ensure_transition = LIFECYCLE.ensure
