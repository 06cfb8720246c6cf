"""Requests for quotes: a cooperative's list, the publish form, a request's page (status, the
quotes, the thread), a quote's versions with the counter form, the side-by-side comparison and
the award. Reads go through `quotes.selectors`, writes through the services; post, redirect, get.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member
from cooperatives.selectors import cooperative_find_by_slug, cooperative_get_for_member
from core.money import Money, default_currency
from core.storage import private_file_response
from frontend.quote_forms import (
    QUOTE_LINE_ROWS,
    MessageForm,
    QuoteForm,
    QuoteLineFormSet,
    RfqForm,
    line_rows,
)
from frontend.views.common import (
    SignedInRequest,
    act,
    attempt,
    member_page,
    post_form,
    succeeded,
)
from marketplace.selectors import category_find
from orders import permissions as order_permissions
from orders import selectors as order_selectors
from orders.services import rfq_award
from quotes import permissions as quote_permissions
from quotes import selectors, services
from quotes.models import Quote, QuoteVersion, Rfq
from quotes.services import QuoteLineInput, QuoteTerms
from quotes.state import LIVE_QUOTE, RfqStatus


def _chosen_ids(request: SignedInRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("invited") if value.isdigit()]


@login_required
@require_safe
def rfq_list(request: SignedInRequest, slug: str) -> HttpResponse:
    def reads(cooperative: Cooperative) -> dict[str, Any]:
        return {
            side: selectors.rfq_list_for_cooperative(
                user=request.user, cooperative=cooperative, role=role
            )[:100]
            for side, role in (("as_buyer", selectors.BUYER), ("as_seller", selectors.SELLER))
        } | {"can_publish": can_manage_cooperative(request.user, cooperative)}

    return member_page(request, slug, "frontend/quotes/rfq_list.html", reads)


@login_required
def rfq_create(request: SignedInRequest, slug: str) -> HttpResponse:
    """The new request's form; `?order=<id>` fills it in from an order from a quote, to ask its
    seller again (`orders.selectors.order_request_again`)."""
    cooperative = cooperative_get_for_member(user=request.user, slug=slug)
    if not can_manage_cooperative(request.user, cooperative):
        raise Http404("No cooperative with this slug among yours.")
    asked = _asked_again(request, cooperative)
    search = request.POST.get("find", "") if request.method == "POST" else ""
    picked = (
        _chosen_ids(request) if request.method == "POST" or asked is None else [asked.seller.pk]
    )
    invitable = selectors.cooperatives_to_invite(search=search, exclude=cooperative, chosen=picked)
    if request.method != "POST" or "search" in request.POST:
        posted = request.POST if request.method == "POST" else None
        initial = (
            asked.values() | {"invited": [str(pk) for pk in picked]} if asked is not None else None
        )
        form = RfqForm(posted, invitable=invitable, initial=initial)
        if posted is not None:
            form.errors.clear()  # only searching: say nothing of the fields not filled yet
        return _rfq_form(request, cooperative, form)
    form = RfqForm(request.POST, request.FILES, invitable=invitable)
    chosen = {str(c.pk): c for c in invitable}
    published = post_form(
        request,
        form,
        lambda: services.rfq_publish(
            buyer=cooperative,
            actor=request.user,
            invited=[chosen[pk] for pk in form.cleaned_data["invited"] if pk in chosen],
            category=category_find(form.cleaned_data["category"])
            if form.cleaned_data["category"]
            else None,
            **form.service_values(),
        ),
        done=_("Your request is published: the sellers are told."),
        then=lambda rfq: reverse("frontend:rfq", args=[rfq.pk]),
    )
    return published or _rfq_form(request, cooperative, form)


def _asked_again(request: SignedInRequest, cooperative: Any) -> Any:
    """The order `?order=` names, pre-filling a request to its seller: one of this buyer's
    orders from a quote that the reader may ask again (else 404); None without `?order=`."""
    order_id = request.GET.get("order", "")
    if not order_id:
        return None
    order = order_selectors.order_get_visible(
        user=request.user,
        order_id=int(order_id) if order_id.isdigit() and len(order_id) < 10 else 0,
    )
    if order.buyer_id != cooperative.pk or not order_permissions.can_ask_again(request.user, order):
        raise Http404("No order of this cooperative to ask again.")
    return order_selectors.order_request_again(order)


def _rfq_form(request: SignedInRequest, cooperative: Any, form: RfqForm) -> HttpResponse:
    return render(
        request, "frontend/quotes/rfq_form.html", {"cooperative": cooperative, "form": form}
    )


def _terms_forms(
    request: SignedInRequest, latest: QuoteVersion | None, currency: str
) -> tuple[QuoteForm, Any]:
    """The quote form and its lines: empty for a first answer, the latest version's terms and
    lines for a counter, or what was posted."""
    if request.method == "POST":
        return QuoteForm(request.POST), QuoteLineFormSet(request.POST, prefix="lines")
    if latest is None:
        initial: dict[str, Any] = {"currency": currency}
        lines: list[dict[str, Any]] = []
    else:
        initial = {
            "currency": latest.currency,
            "valid_until": max(latest.valid_until, timezone.localdate()),
            "lead_time_days": latest.lead_time_days,
            "payment_terms_days": latest.payment_terms_days,
            "credit_share": latest.credit_share_bps // 100,
        }
        lines = [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": Money(line.unit_price_amount, latest.currency).format_input(
                    get_language() or "en"
                ),
            }
            for line in latest.lines.all()
        ]
    blank = max(1, QUOTE_LINE_ROWS - len(lines))
    formset = QuoteLineFormSet(initial=lines + [{}] * blank, prefix="lines")
    return QuoteForm(initial=initial), formset


def _posted_terms(form: QuoteForm, formset: Any) -> QuoteTerms | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = form.cleaned_data
    rows = line_rows(formset, data["currency"])
    if any(line_form.errors for line_form in formset.forms):
        return None
    if not rows:
        form.add_error(None, _("A quote has at least one line."))
        return None
    return QuoteTerms(
        currency=data["currency"],
        valid_until=data["valid_until"],
        lead_time_days=data["lead_time_days"],
        payment_terms_days=data["payment_terms_days"],
        credit_share_bps=data["credit_share"] * 100,
        note=data["note"],
        lines=[QuoteLineInput(*row) for row in rows],
    )


@dataclass(frozen=True)
class RfqView:
    """A request as one person sees it: as the buyer, or as the one seller of theirs it is for
    (`?as=<slug>` picks it when the person belongs to the buyer too, or to several sellers)."""

    access: selectors.RfqAccess
    seller: Cooperative | None
    can_act: bool  # an owner or admin of the side it is seen from

    @property
    def rfq(self) -> Rfq:
        return self.access.rfq

    @property
    def is_buyer(self) -> bool:
        return self.access.is_buyer


def _rfq_view(request: SignedInRequest, rfq_id: int, slug: str = "") -> RfqView:
    if slug:
        access = selectors.rfq_get_as_seller(user=request.user, rfq_id=rfq_id, slug=slug)
    else:
        access = selectors.rfq_get_visible(user=request.user, rfq_id=rfq_id)
    if access.is_buyer:
        return RfqView(access, None, can_manage_cooperative(request.user, access.rfq.buyer))
    seller = access.seller_for()
    assert seller is not None
    return RfqView(access, seller, can_manage_cooperative(request.user, seller))


def _buyer_view(request: SignedInRequest, rfq_id: int) -> RfqView:
    view = _rfq_view(request, rfq_id)
    if not view.is_buyer:
        raise Http404("No such request.")
    return view


def _newest_first(quote: Quote) -> list[QuoteVersion]:
    return list(reversed(selectors.quote_versions(quote)))


def _send_version(
    request: SignedInRequest,
    send: Callable[[QuoteTerms], Any],
    done: Callable[[Any], str],
    success_url: str,
    page: Callable[[], tuple[str, dict[str, Any]]],
) -> HttpResponse:
    """Post a version of a quote (a first answer or a counter): on success say `done(result)`
    and go to `success_url`; else the `page` again with the form, its errors and what was typed."""
    form, formset = _terms_forms(request, None, "")
    terms = _posted_terms(form, formset)
    if terms is not None:
        result = attempt(request, lambda: send(terms), form=form)
        if succeeded(result):
            messages.success(request, done(result))
            return redirect(success_url)
    template, context = page()
    return render(request, template, {**context, "quote_form": form, "line_formset": formset})


def _rfq_context(request: SignedInRequest, view: RfqView) -> dict[str, Any]:
    rfq = view.rfq
    quotes = [
        {"quote": quote, "latest": selectors.quote_latest_version(quote)}
        for quote in selectors.quote_list(access=view.access)
    ]
    context: dict[str, Any] = {
        "view": view,
        "rfq": rfq,
        "quotes": quotes,
        "orders": order_selectors.orders_of_rfq(rfq),
        "is_open": rfq.status == RfqStatus.OPEN,
        "message_form": MessageForm(),
    }
    if not view.is_buyer:
        assert view.seller is not None
        context["thread"] = selectors.message_list(access=view.access, seller=view.seller)
        context["own"] = quotes[0] if quotes else None
        if not quotes and view.can_act and rfq.status == RfqStatus.OPEN:
            form, formset = _terms_forms(request, None, _currency_of(view.seller))
            context.update({"quote_form": form, "line_formset": formset})
    return context


def _currency_of(cooperative: Any) -> str:
    return default_currency(cooperative.country)


@login_required
@require_safe
def rfq_detail(request: SignedInRequest, rfq_id: int) -> HttpResponse:
    view = _rfq_view(request, rfq_id, request.GET.get("as", ""))
    return render(request, "frontend/quotes/rfq_detail.html", _rfq_context(request, view))


@login_required
@require_safe
def rfq_attachment(request: SignedInRequest, rfq_id: int, attachment_id: int) -> HttpResponseBase:
    attachment = selectors.attachment_get_visible(
        user=request.user, rfq_id=rfq_id, attachment_id=attachment_id
    )
    return private_file_response(
        attachment.file, content_type=attachment.content_type, download_name=attachment.name
    )


@login_required
@require_POST
def quote_submit(request: SignedInRequest, rfq_id: int) -> HttpResponse:
    view = _rfq_view(request, rfq_id, request.POST.get("as", ""))
    if view.seller is None:
        raise Http404("No such request.")
    if not view.can_act:
        messages.error(request, _("The owners and admins of your cooperative answer requests."))
        return redirect(f"{reverse('frontend:rfq', args=[rfq_id])}?as={view.seller.slug}")
    seller = view.seller
    return _send_version(
        request,
        lambda terms: services.quote_submit(
            rfq=view.rfq, seller=seller, actor=request.user, terms=terms
        ),
        lambda _quote: _("Your quote is sent to the buyer."),
        f"{reverse('frontend:rfq', args=[rfq_id])}?as={seller.slug}",
        lambda: ("frontend/quotes/rfq_detail.html", _rfq_context(request, view)),
    )


@login_required
@require_POST
def rfq_message(request: SignedInRequest, rfq_id: int) -> HttpResponse:
    view = _rfq_view(request, rfq_id, request.POST.get("as", ""))
    form = MessageForm(request.POST)
    seller = view.seller or cooperative_find_by_slug(request.POST.get("seller", ""))
    if seller is None or not quote_permissions.is_invited(view.rfq, seller):
        raise Http404("No such thread.")
    if form.is_valid():
        done = attempt(
            request,
            lambda: services.message_post(
                rfq=view.rfq, seller=seller, actor=request.user, body=form.cleaned_data["body"]
            ),
        )
        if succeeded(done):
            messages.success(request, _("Your message is in the thread."))
    else:
        messages.error(request, _("Write a message."))
    if view.is_buyer:
        quote = selectors.quote_list(access=view.access).filter(seller=seller).first()
        if quote is not None:
            return redirect("frontend:quote", quote_id=quote.pk)
        return redirect("frontend:rfq", rfq_id=rfq_id)
    return redirect(f"{reverse('frontend:rfq', args=[rfq_id])}?as={seller.slug}")


@dataclass(frozen=True)
class QuoteView:
    """A quote as one person sees it: from the seller's side when they belong to the seller
    (even if also to the buyer), else from the buyer's."""

    quote: Quote
    is_buyer: bool
    can_act: bool


def _thread(request: SignedInRequest, quote: Quote) -> Any:
    access = selectors.rfq_get_visible(user=request.user, rfq_id=quote.rfq_id)
    return selectors.message_list(access=access, seller=quote.seller)


def _quote_view(request: SignedInRequest, quote_id: int) -> QuoteView:
    quote = selectors.quote_get_visible(user=request.user, quote_id=quote_id)
    if is_member(request.user, quote.seller):
        return QuoteView(quote, False, can_manage_cooperative(request.user, quote.seller))
    return QuoteView(quote, True, can_manage_cooperative(request.user, quote.rfq.buyer))


def _quote_context(request: SignedInRequest, view: QuoteView) -> dict[str, Any]:
    quote = view.quote
    versions = _newest_first(quote)
    is_live = quote.status in LIVE_QUOTE and quote.rfq.status == RfqStatus.OPEN
    counters_left = quote.rfq.max_counters + 1 - len(versions)
    context: dict[str, Any] = {
        "view": view,
        "quote": quote,
        "rfq": quote.rfq,
        "versions": versions,
        "thread": _thread(request, quote),
        "message_form": MessageForm(),
        "counters_left": max(0, counters_left),
        "can_counter": view.can_act and is_live and counters_left > 0,
        "can_withdraw": view.can_act and is_live and not view.is_buyer,
    }
    if context["can_counter"]:
        form, formset = _terms_forms(request, versions[0], versions[0].currency)
        context.update({"quote_form": form, "line_formset": formset})
    return context


@login_required
@require_safe
def quote_detail(request: SignedInRequest, quote_id: int) -> HttpResponse:
    view = _quote_view(request, quote_id)
    return render(request, "frontend/quotes/quote_detail.html", _quote_context(request, view))


@login_required
@require_POST
def quote_counter(request: SignedInRequest, quote_id: int) -> HttpResponse:
    view = _quote_view(request, quote_id)
    return _send_version(
        request,
        lambda terms: services.quote_counter(quote=view.quote, actor=request.user, terms=terms),
        lambda version: _("Version %(number)s is sent.") % {"number": version.number},
        reverse("frontend:quote", args=[quote_id]),
        lambda: ("frontend/quotes/quote_detail.html", _quote_context(request, view)),
    )


@login_required
@require_POST
def quote_withdraw(request: SignedInRequest, quote_id: int) -> HttpResponse:
    view = _quote_view(request, quote_id)
    return act(
        request,
        lambda: services.quote_withdraw(quote=view.quote, actor=request.user),
        _("Your quote is withdrawn."),
        reverse("frontend:quote", args=[quote_id]),
    )


@login_required
@require_safe
def rfq_compare(request: SignedInRequest, rfq_id: int) -> HttpResponse:
    view = _buyer_view(request, rfq_id)
    columns = [
        {
            "quote": quote,
            "version": selectors.quote_latest_version(quote),
            "is_awardable": quote.status in LIVE_QUOTE,
        }
        for quote in selectors.quote_list(access=view.access)
    ]
    return render(
        request,
        "frontend/quotes/compare.html",
        {
            "view": view,
            "rfq": view.rfq,
            "columns": columns,
            "can_award": view.can_act and view.rfq.status == RfqStatus.OPEN,
        },
    )


@login_required
@require_POST
def rfq_award_view(request: SignedInRequest, rfq_id: int) -> HttpResponse:
    view = _buyer_view(request, rfq_id)
    awards: list[tuple[int, int | None]] = []
    for value in request.POST.getlist("version"):
        if not value.isdigit():
            continue
        typed = request.POST.get(f"quantity-{value}", "").strip()
        quantity = int(typed) if typed.isdigit() and not view.rfq.is_single_award else None
        awards.append((int(value), quantity))
    if not awards:
        messages.error(request, _("Choose the quote to award."))
        return redirect("frontend:rfq-compare", rfq_id=rfq_id)
    orders = attempt(request, lambda: rfq_award(rfq=view.rfq, actor=request.user, awards=awards))
    if not succeeded(orders):
        return redirect("frontend:rfq-compare", rfq_id=rfq_id)
    messages.success(
        request,
        _("Awarded: %(count)s order(s) placed at the quoted prices and terms.")
        % {"count": len(orders)},
    )
    return redirect("frontend:rfq", rfq_id=rfq_id)
