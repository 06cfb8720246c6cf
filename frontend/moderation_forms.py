"""Forms of the moderation pages and of the appeal. The moderation services enforce the rules
(reasons required, conflicts of interest, transitions); these check what was typed."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.state import VerificationStatus
from frontend.forms import optional_choice, with_empty
from marketplace.state import ListingStatus
from moderation.models import ActionKind, AppealOutcome, ReportOutcome
from moderation.services import COOPERATIVE_ACTIONS, LISTING_ACTIONS
from moderation.state import AppealStatus, ReportStatus

REASON_MAX = 2000


class ListingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(d, d) for d in LISTING_ACTIONS])
    reason = forms.CharField(max_length=REASON_MAX, required=False)


class CooperativeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[(d, d) for d in COOPERATIVE_ACTIONS])
    reason = forms.CharField(max_length=REASON_MAX, required=False)


class ReportResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReportOutcome.choices)
    note = forms.CharField(max_length=REASON_MAX, required=False)


class AppealResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=AppealOutcome.choices)
    note = forms.CharField(max_length=REASON_MAX, required=False)


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("Why the decision should be reversed"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Another moderator than the one who decided reads it. Say what the moderators may "
            "have missed; you appeal once per decision."
        ),
    )


class StatusFilterForm(forms.Form):
    """A queue's filter: one optional status, among the class's `choices`."""

    choices: Any = ()
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = self.choices


def in_order(*statuses: Any) -> list[tuple[str, Any]]:
    """Some statuses of a `TextChoices`, in this order, each under its own label."""
    return [(status.value, status.label) for status in statuses]


class ListingQueueFilterForm(StatusFilterForm):
    # The queue's own word for what waits for a moderator, then the listings' own labels.
    choices = [
        (ListingStatus.PENDING_REVIEW, _("Waiting for review")),
        *in_order(ListingStatus.PUBLISHED, ListingStatus.SUSPENDED, ListingStatus.REJECTED),
    ]


class ReportQueueFilterForm(StatusFilterForm):
    choices = ReportStatus.choices


class AppealQueueFilterForm(StatusFilterForm):
    choices = AppealStatus.choices


class CooperativeStatusFilterForm(StatusFilterForm):
    choices = in_order(
        VerificationStatus.SUSPENDED,
        VerificationStatus.PENDING,
        VerificationStatus.UNVERIFIED,
        VerificationStatus.VERIFIED,
    )


class ActionLogFilterForm(forms.Form):
    """The log's filters; the same names as `GET /api/v1/moderation/actions/`."""

    moderator = forms.ChoiceField(label=_("Moderator"), required=False)
    action = optional_choice(_("Action"), _("Any action"), ActionKind.choices)
    cooperative = forms.SlugField(
        label=_("Cooperative (slug)"),
        required=False,
        help_text=_("Actions on the cooperative and on its listings."),
    )
    listing = forms.IntegerField(label=_("Listing number"), required=False, min_value=1)
    created_after = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_before = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, moderators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["moderator"]).choices = with_empty(
            _("Anyone"), moderators
        )
