"""The moderators' pages: the queue (listings, reports, verification requests, appeals,
cooperatives by status), one listing or cooperative with its record, the decision forms and the
audit log. Everyone else gets a 404, signed in or not.

Decisions call the moderation services, which check conflicts of interest and transitions; a
refusal is a message. Each decision form posts, then the page it came from (`next`) is shown
again; htmx swaps its `#queue` region and the messages in place.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from cooperatives import state as cooperative_state
from cooperatives.models import Cooperative
from cooperatives.selectors import verification_request_list
from frontend.moderation_forms import (
    ActionLogFilterForm,
    AppealQueueFilterForm,
    AppealResolveForm,
    CooperativeDecisionForm,
    CooperativeStatusFilterForm,
    ListingDecisionForm,
    ListingQueueFilterForm,
    ReportQueueFilterForm,
    ReportResolveForm,
)
from frontend.views.common import safe_next, submit
from marketplace import state as listing_state
from marketplace.models import Listing
from moderation import permissions, selectors, services
from moderation.api.filters import ModerationActionFilter
from moderation.models import (
    ActionKind,
    Appeal,
    AppealOutcome,
    Report,
    ReportOutcome,
    ReportReason,
)
from moderation.state import AppealStatus, ReportStatus

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50

LISTING_DECISIONS = {
    "approve": (gettext_lazy("Approve and publish"), False),
    "reject": (gettext_lazy("Reject"), True),
    "suspend": (gettext_lazy("Suspend"), True),
    "reinstate": (gettext_lazy("Reinstate"), False),
}
COOPERATIVE_DECISIONS = {
    "verify": (gettext_lazy("Verify"), False),
    "reject": (gettext_lazy("Reject the verification"), True),
    "suspend": (gettext_lazy("Suspend the cooperative"), True),
    "reinstate": (gettext_lazy("Reinstate"), False),
}
DONE = {
    ActionKind.LISTING_APPROVE: gettext_lazy("“%(target)s” is approved and published."),
    ActionKind.LISTING_REJECT: gettext_lazy("“%(target)s” is rejected; the seller reads why."),
    ActionKind.LISTING_SUSPEND: gettext_lazy("“%(target)s” is suspended; the seller reads why."),
    ActionKind.LISTING_REINSTATE: gettext_lazy("“%(target)s” is reinstated."),
    ActionKind.COOPERATIVE_VERIFY: gettext_lazy("%(target)s is verified."),
    ActionKind.COOPERATIVE_REJECT: gettext_lazy(
        "The verification of %(target)s is rejected; its owners read why."
    ),
    ActionKind.COOPERATIVE_SUSPEND: gettext_lazy(
        "%(target)s is suspended; its open orders are flagged for a person to settle."
    ),
    ActionKind.COOPERATIVE_REINSTATE: gettext_lazy("%(target)s is reinstated."),
}
TABS = (
    ("moderation", gettext_lazy("Listings")),
    ("moderation-reports", gettext_lazy("Abuse reports")),
    ("moderation-verification", gettext_lazy("Verification")),
    ("moderation-appeals", gettext_lazy("Appeals")),
    ("moderation-cooperatives", gettext_lazy("Cooperatives")),
    ("moderation-log", gettext_lazy("Log")),
)


def _moderator(request: HttpRequest) -> User:
    """The signed-in moderator; a 404 for everyone else (the pages are not there for them)."""
    if not permissions.can_moderate(request.user):
        raise Http404("Not found.")
    assert isinstance(request.user, User)
    return request.user


def _page(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _status(form_class: type, request: HttpRequest, default: str) -> tuple[Any, str]:
    form = form_class(request.GET or None, initial={"status": default})
    status = default
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        status = form.cleaned_data["status"]
    return form, status


def _render(request: HttpRequest, template: str, tab: str, context: dict[str, Any]) -> HttpResponse:
    context.update(
        tabs=[{"name": name, "label": label, "is_current": name == tab} for name, label in TABS],
        next=request.get_full_path(),
    )
    return render(request, template, context)


def _queue(
    request: HttpRequest,
    template: str,
    tab: str,
    context: dict[str, Any],
    *,
    counted: Any,
    empty: Any,
    order: Any = "",
) -> HttpResponse:
    """A moderators' list (`frontend/moderation/queue.html`): above it, how many its `page`
    holds (`counted`, a plural of `%(counter)s`) and, when worth saying, in what `order`; `empty`
    when it holds none."""
    count = counted % {"counter": context["page"].paginator.count}
    context.update(count=f"{count} · {order}" if order else count, empty=empty)
    return _render(request, template, tab, context)


def _decisions(
    table: dict[str, tuple[frozenset[str], str]],
    labels: dict[str, tuple[Any, bool]],
    status: str,
) -> list[dict[str, Any]]:
    """The decisions the lifecycle table allows from `status`, with whether they need a reason."""
    return [
        {"name": name, "label": label, "needs_reason": needs_reason}
        for name, (label, needs_reason) in labels.items()
        if status in table[name][0]
    ]


def listing_decisions(listing: Listing) -> list[dict[str, Any]]:
    return _decisions(listing_state.LIFECYCLE.table, LISTING_DECISIONS, listing.status)


def cooperative_decisions(cooperative: Cooperative) -> list[dict[str, Any]]:
    return _decisions(
        cooperative_state.LIFECYCLE.table, COOPERATIVE_DECISIONS, cooperative.verification_status
    )


# The queue -----------------------------------------------------------------------------------


def listings(request: HttpRequest) -> HttpResponse:
    user = _moderator(request)
    form, status = _status(ListingQueueFilterForm, request, listing_state.S.PENDING_REVIEW)
    conflicts = selectors.cooperative_ids_of(user)
    page = _page(request, selectors.listing_review_queue(status=status))
    items = [
        {
            "listing": listing,
            "can_decide": listing.cooperative_id not in conflicts,
            "decisions": listing_decisions(listing),
        }
        for listing in page.object_list
    ]
    return _queue(
        request,
        "frontend/moderation/listings.html",
        "moderation",
        {"form": form, "status": status, "page": page, "items": items},
        counted=ngettext_lazy("%(counter)s listing", "%(counter)s listings", "counter"),
        order=_("oldest submission first") if status == listing_state.S.PENDING_REVIEW else "",
        empty=_("Nothing here. The queue is clear."),
    )


def reports(request: HttpRequest) -> HttpResponse:
    user = _moderator(request)
    form, status = _status(ReportQueueFilterForm, request, ReportStatus.OPEN)
    conflicts = selectors.cooperative_ids_of(user)
    is_open = status == ReportStatus.OPEN
    page = _page(request, selectors.report_group_keys(status=status))
    groups = selectors.report_groups(list(page.object_list), status=status)
    items = [
        {
            "group": group,
            "cooperative": group.listing.cooperative if group.listing else group.cooperative,
            "can_decide": (group.listing.cooperative_id if group.listing else group.cooperative.pk)  # type: ignore[union-attr]
            not in conflicts,
            "reasons": [(_reason_label(reason), count) for reason, count in group.reasons.items()],
        }
        for group in groups
    ]
    return _queue(
        request,
        "frontend/moderation/reports.html",
        "moderation-reports",
        {
            "form": form,
            "status": status,
            "is_open": is_open,
            "page": page,
            "items": items,
            "outcomes": ReportOutcome.choices,
        },
        counted=ngettext_lazy("%(counter)s reported item", "%(counter)s reported items", "counter"),
        order=_("most reported first") if is_open else "",
        empty=_("No reports here."),
    )


def _reason_label(reason: str) -> str:
    return str(ReportReason(reason).label) if reason in ReportReason.values else reason


def verification(request: HttpRequest) -> HttpResponse:
    user = _moderator(request)
    conflicts = selectors.cooperative_ids_of(user)
    page = _page(request, selectors.verification_request_queue())
    items = [
        {
            "request": item,
            "cooperative": item.cooperative,
            "can_decide": item.cooperative_id not in conflicts,
            "decisions": cooperative_decisions(item.cooperative),
        }
        for item in page.object_list
    ]
    return _queue(
        request,
        "frontend/moderation/verification.html",
        "moderation-verification",
        {"page": page, "items": items},
        counted=ngettext_lazy(
            "%(counter)s request waiting", "%(counter)s requests waiting", "counter"
        ),
        order=_("oldest first"),
        empty=_("No verification requests are waiting."),
    )


def appeals(request: HttpRequest) -> HttpResponse:
    user = _moderator(request)
    form, status = _status(AppealQueueFilterForm, request, AppealStatus.OPEN)
    conflicts = selectors.cooperative_ids_of(user)
    page = _page(request, selectors.appeal_queue(status=status))
    items = [
        {
            "appeal": appeal,
            "is_own_decision": appeal.decided_by_id == user.pk,
            "is_conflicted": appeal.cooperative_id in conflicts,
        }
        for appeal in page.object_list
    ]
    return _queue(
        request,
        "frontend/moderation/appeals.html",
        "moderation-appeals",
        {
            "form": form,
            "status": status,
            "page": page,
            "items": items,
            "outcomes": AppealOutcome.choices,
        },
        counted=ngettext_lazy("%(counter)s appeal", "%(counter)s appeals", "counter"),
        empty=_("No appeals here."),
    )


def cooperatives(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    form, status = _status(CooperativeStatusFilterForm, request, cooperative_state.S.SUSPENDED)
    page = _page(request, selectors.cooperative_list_for_moderation(status=status))
    return _queue(
        request,
        "frontend/moderation/cooperatives.html",
        "moderation-cooperatives",
        {
            "form": form,
            "status": status,
            "page": page,
            "items": page.object_list,
            "list_class": "coop-list",
        },
        counted=ngettext_lazy("%(counter)s cooperative", "%(counter)s cooperatives", "counter"),
        empty=_("No cooperative has this status."),
    )


# One listing, one cooperative ----------------------------------------------------------------


def _about_one(
    request: HttpRequest, tab: str, name: str, found: Any, log: Any, **context: Any
) -> HttpResponse:
    """The page of one listing or cooperative (`name`): it, and the last 50 entries of the log
    about it, beside what the view adds (whether this moderator may decide, the decisions)."""
    context.update({name: found, "log": log[:50]})
    return _render(request, f"frontend/moderation/{name}.html", tab, context)


def listing(request: HttpRequest, listing_id: int) -> HttpResponse:
    user = _moderator(request)
    found = selectors.listing_get_for_review(listing_id)
    log = selectors.action_list().filter(listing=found)
    return _about_one(
        request,
        "moderation",
        "listing",
        found,
        log,
        can_decide=permissions.can_decide_on_listing(user, found),
        decisions=listing_decisions(found),
    )


def cooperative(request: HttpRequest, slug: str) -> HttpResponse:
    user = _moderator(request)
    found = selectors.cooperative_get_for_moderation(slug)
    return _about_one(
        request,
        "moderation-cooperatives",
        "cooperative",
        found,
        selectors.decision_list_about(found),
        can_decide=permissions.can_decide_on_cooperative(user, found),
        decisions=cooperative_decisions(found),
        requests=verification_request_list(user=user, cooperative=found),
    )


# Decisions -----------------------------------------------------------------------------------


def _decision_page(
    find: Callable[[Any], tuple[Any, str]],
    form_class: type,
    invalid: Any,
    act: Callable[[Any, User, dict[str, Any]], str],
) -> Callable[..., HttpResponse]:
    """The view of a decision form. `find` gets what is decided on by the URL's one key and the
    page to go back to; `act` decides (found, moderator, form data) and says what happened. A
    refusal or an invalid form (`invalid`) is a message; then the page the form came from is shown
    again (`next`, else that page)."""

    @require_POST
    def view(request: HttpRequest, **key: Any) -> HttpResponse:
        user = _moderator(request)
        found, back = find(*key.values())
        form = form_class(request.POST)
        back = safe_next(request, back)
        return submit(
            request,
            form,
            lambda: act(found, user, form.cleaned_data),
            str,
            back,
            invalid=str(invalid),
        )

    return view


def _listing(listing_id: int) -> tuple[Listing, str]:
    found = selectors.listing_get_for_moderation(listing_id)
    return found, reverse("frontend:moderation-listing", args=[found.pk])


def _cooperative(slug: str) -> tuple[Cooperative, str]:
    return selectors.cooperative_get_for_moderation(slug), reverse(
        "frontend:moderation-cooperative", args=[slug]
    )


def _report(report_id: int) -> tuple[Report, str]:
    return selectors.report_get_for_moderation(report_id), reverse("frontend:moderation-reports")


def _appeal(appeal_id: int) -> tuple[Appeal, str]:
    return selectors.appeal_get_for_moderation(appeal_id), reverse("frontend:moderation-appeals")


def _decide(found: Listing | Cooperative, user: User, data: dict[str, Any]) -> str:
    action = services.decide(
        target=found, decision=data["decision"], actor=user, reason=data["reason"]
    )
    return str(DONE[ActionKind(action.action)]) % {"target": str(found)}


def _resolve_report(report: Report, user: User, data: dict[str, Any]) -> str:
    resolved = services.report_resolve(
        report=report, actor=user, outcome=data["outcome"], note=data["note"]
    )
    return _("%(count)s report(s) on “%(target)s” closed; each reporter is told.") % {
        "count": len(resolved),
        "target": report.target,
    }


def _resolve_appeal(appeal: Appeal, user: User, data: dict[str, Any]) -> str:
    outcome, note = data["outcome"], data["note"]
    if services.appeal_resolve(appeal=appeal, actor=user, outcome=outcome, note=note).status == (
        AppealStatus.OVERTURNED
    ):
        return _("The appeal is granted: the decision is reversed.")
    return _("The decision stands; the cooperative reads your note.")


CHOOSE_DECISION = gettext_lazy("Choose a decision; a reason is at most 2,000 characters.")
CHOOSE_OUTCOME = gettext_lazy("Choose an outcome.")
listing_decide = _decision_page(_listing, ListingDecisionForm, CHOOSE_DECISION, _decide)
cooperative_decide = _decision_page(_cooperative, CooperativeDecisionForm, CHOOSE_DECISION, _decide)
report_resolve = _decision_page(_report, ReportResolveForm, CHOOSE_OUTCOME, _resolve_report)
appeal_resolve = _decision_page(_appeal, AppealResolveForm, CHOOSE_OUTCOME, _resolve_appeal)


# The log -------------------------------------------------------------------------------------


def log(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    moderators = [(str(u.pk), u.name or u.email) for u in selectors.moderator_list()]
    form = ActionLogFilterForm(request.GET or None, moderators=moderators)
    data = request.GET.copy()
    if form.is_bound and form.is_valid() and form.cleaned_data["created_before"]:
        # "Until" a day includes that whole day.
        until = form.cleaned_data["created_before"] + datetime.timedelta(days=1)
        data["created_before"] = until.isoformat()
    actions = ModerationActionFilter(data, queryset=selectors.action_list()).qs
    page = _page(request, actions, LOG_PAGE_SIZE)
    is_filtered = any(request.GET.get(name) for name in ActionLogFilterForm.base_fields)
    return _render(
        request,
        "frontend/moderation/log.html",
        "moderation-log",
        {"form": form, "page": page, "is_filtered": is_filtered},
    )
