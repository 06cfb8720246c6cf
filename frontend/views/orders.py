"""The cart, checkout, orders with their timeline and messages, and invoices.

Actions answer with a redirect to the page they came from (post/redirect/get). htmx follows the
redirect and swaps only the region it came from (`hx-select`) and the messages
(`hx-select-oob`), so every form works the same with and without JavaScript.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import is_moderator
from cooperatives.selectors import (
    cooperative_get_for_member,
    cooperative_get_visible,
    membership_list_for_user,
)
from core.money import Money
from frontend.order_forms import (
    CARD_PAYABLE_ONLY,
    CartAddForm,
    CartQuantityForm,
    CheckoutForm,
    MarkPaidForm,
    MessageForm,
    OrderActionForm,
    OrderFilterForm,
    RefundPaidOutsideForm,
)
from frontend.views.common import (
    NarrowPage,
    SignedInRequest,
    act,
    attempt,
    line_messages,
    post_form,
    safe_next,
    submit,
    succeeded,
)
from frontend.views.payments import how_to_pay
from orders import documents, payments, permissions, selectors, services
from orders.events import DOCUMENT_KINDS
from orders.models import InvoiceKind, Order
from orders.payments.services import refund_close_paid_outside
from orders.state import ACTIONS, PaymentStatus, find_transition

PAGE_SIZE = 20
CHECKOUT_NOT_ALLOWED = NarrowPage(title=gettext_lazy("Check out"))

ACTION_LABELS = {
    "accept": gettext_lazy("Accept the order"),
    "decline": gettext_lazy("Decline the order"),
    "fulfil": gettext_lazy("Mark as fulfilled"),
    "complete": gettext_lazy("Confirm receipt"),
    "cancel": gettext_lazy("Cancel the order"),
}
ACTION_HELP = {
    "accept": gettext_lazy("You commit to deliver. An invoice is issued when settled by invoice."),
    "decline": gettext_lazy("The order ends and its stock goes back to your catalogue."),
    "fulfil": gettext_lazy("Everything was delivered or the service was done."),
    "complete": gettext_lazy("You received everything: the order is closed."),
    "cancel": gettext_lazy("The order ends and its stock goes back to the seller's catalogue."),
}
DONE_MESSAGES = {
    "accept": gettext_lazy("You accepted order #%(id)s."),
    "decline": gettext_lazy("You declined order #%(id)s."),
    "fulfil": gettext_lazy("Order #%(id)s is marked fulfilled."),
    "complete": gettext_lazy("Order #%(id)s is completed. Thank you for trading cooperatively."),
    "cancel": gettext_lazy("Order #%(id)s is cancelled."),
}
SIDE_LABELS = {"buyer": gettext_lazy("buyer"), "seller": gettext_lazy("seller")}


def _locale() -> str:
    return to_locale(get_language() or "en")


def _memberships(request: SignedInRequest) -> list[Membership]:
    return list(membership_list_for_user(request.user))


def _chosen(
    request: SignedInRequest, memberships: list[Membership], slug: str | None
) -> Cooperative | None:
    """The viewer's cooperative named by slug (404 when it is not one of theirs), else the first."""
    if slug:
        return cooperative_get_for_member(user=request.user, slug=slug)
    return memberships[0].cooperative if memberships else None


def _switch_choices(
    memberships: list[Membership], cooperative: Cooperative | None, counts: dict[int, int]
) -> list[dict[str, Any]]:
    return [
        {
            "slug": m.cooperative.slug,
            "name": m.cooperative.name,
            "count": counts.get(m.cooperative_id, 0),
            "is_selected": cooperative is not None and m.cooperative_id == cooperative.pk,
        }
        for m in memberships
    ]


def _url_for(name: str, cooperative: Cooperative) -> str:
    """A page that shows one of the person's cooperatives, chosen by `?cooperative=`."""
    return f"{reverse(name)}?{urlencode({'cooperative': cooperative.slug})}"


def _cart_url(cooperative: Cooperative) -> str:
    return _url_for("frontend:cart", cooperative)


# Cart ----------------------------------------------------------------------------------------


@login_required
def cart(request: SignedInRequest) -> HttpResponse:
    memberships = _memberships(request)
    counts = selectors.cart_line_counts_by_cooperative(request.user)
    slug = request.GET.get("cooperative")
    if not slug:
        # Open the cart that has something in it, when one has.
        slug = next((m.cooperative.slug for m in memberships if counts.get(m.cooperative_id)), None)
    cooperative = _chosen(request, memberships, slug)
    context: dict[str, Any] = {
        "cooperative": cooperative,
        "switch_choices": _switch_choices(memberships, cooperative, counts),
    }
    if cooperative is not None:
        context.update(
            summary=selectors.cart_summary(user=request.user, cooperative=cooperative),
            can_checkout=permissions.can_checkout(request.user, cooperative),
        )
    return render(request, "frontend/orders/cart.html", context)


def _add_to_cart_answer(
    request: SignedInRequest, listing_id: int | None, next_url: str
) -> HttpResponse:
    """Without JavaScript: back to the page of the form. With htmx: the form again, fresh, with
    the messages and the menu's cart count out of band (the form lives on others' pages)."""
    if not request.htmx:
        return redirect(next_url)
    listing = selectors.listing_for_cart(listing_id) if listing_id else None
    response = render(
        request, "frontend/orders/_add_to_cart_answer.html", {"listing": listing, "next": next_url}
    )
    if listing is None:
        response["HX-Reswap"] = "none"
    return response


@login_required
@require_POST
def cart_add(request: SignedInRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    next_url = safe_next(request, reverse("frontend:cart"))
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        listing_id = form.cleaned_data.get("listing")
        return _add_to_cart_answer(request, listing_id, next_url)
    data = form.cleaned_data
    cooperative = cooperative_get_for_member(user=request.user, slug=data["cooperative"])
    added = attempt(
        request,
        lambda: services.cart_add_item(
            cooperative=cooperative,
            listing_id=data["listing"],
            quantity=data["quantity"],
            actor=request.user,
        ),
    )
    if succeeded(added):
        line, _created = added
        messages.success(
            request,
            _("%(quantity)s × %(title)s is in the cart of %(cooperative)s (%(total)s in all).")
            % {
                "quantity": data["quantity"],
                "title": line.title,
                "cooperative": cooperative.name,
                "total": line.quantity,
            },
        )
    return _add_to_cart_answer(request, data["listing"], next_url)


def _line_and_cart(request: SignedInRequest, line_id: int) -> tuple[Any, str]:
    line = selectors.cart_line_get(user=request.user, line_id=line_id)
    return line, _cart_url(line.cart.cooperative)


@login_required
@require_POST
def cart_line_update(request: SignedInRequest, line_id: int) -> HttpResponse:
    line, back = _line_and_cart(request, line_id)
    form = CartQuantityForm(request.POST)
    return submit(
        request,
        form,
        lambda: services.cart_update_item(line=line, actor=request.user, **form.cleaned_data),
        lambda updated: (
            _("%(title)s: quantity %(quantity)s.")
            % {"title": updated.title, "quantity": updated.quantity}
        ),
        back,
    )


@login_required
@require_POST
def cart_line_confirm_price(request: SignedInRequest, line_id: int) -> HttpResponse:
    line, back = _line_and_cart(request, line_id)
    return act(
        request,
        lambda: services.cart_update_item(line=line, actor=request.user, confirm_price=True),
        lambda updated: (
            _("%(title)s: you accepted the price of %(price)s.")
            % {"title": updated.title, "price": updated.unit_price.format(_locale())}
        ),
        back,
    )


@login_required
@require_POST
def cart_line_remove(request: SignedInRequest, line_id: int) -> HttpResponse:
    line, back = _line_and_cart(request, line_id)
    return act(
        request,
        lambda: services.cart_remove_item(line=line, actor=request.user),
        _("%(title)s is out of the cart.") % {"title": line.title},
        back,
    )


# Checkout ------------------------------------------------------------------------------------


def _default_address(cooperative: Cooperative) -> str:
    return "\n".join(part for part in (cooperative.address, cooperative.city) if part)


@login_required
def checkout(request: SignedInRequest) -> HttpResponse:
    memberships = _memberships(request)
    managed = [m for m in memberships if permissions.can_checkout(request.user, m.cooperative)]
    slug = request.POST.get("cooperative") or request.GET.get("cooperative")
    cooperative = _chosen(request, managed or memberships, slug)
    if cooperative is None:
        messages.info(request, _("Join or create a cooperative to order."))
        return redirect("frontend:my-cooperatives")
    if not permissions.can_checkout(request.user, cooperative):
        return render(
            request,
            "frontend/orders/checkout_not_allowed.html",
            {"cooperative": cooperative, "managed": managed, "page": CHECKOUT_NOT_ALLOWED},
            status=403,  # a refusal, as the API's; the page explains who may check out
        )
    summary = selectors.cart_summary(user=request.user, cooperative=cooperative)
    currencies = summary.currencies
    if request.method == "POST":
        # A second click arrives after the first emptied the cart: it must still reach the
        # service, which answers with the first result.
        posted = request.POST.get("currency", "")
        currencies = sorted({*currencies, posted} - {""}) or [""]
    # Card is offered when the exchange takes cards and a seller in the cart can be paid by card
    # (a post is judged by the service, which names the sellers that cannot).
    methods = payments.available_methods()
    payable = [group.is_card_payable for group in summary.groups]
    # The card rail is the one paid up front: its sellers' `can_pay` is `group.is_card_payable`.
    card = next((method for method in methods if payments.rail_for(method).paid_up_front), None)
    if card and (request.method == "POST" or (any(payable) and not all(payable))):
        methods = [*methods, CARD_PAYABLE_ONLY]
    if request.method != "POST" and not any(payable):
        methods = [method for method in methods if method != card]
    form = CheckoutForm(
        request.POST if request.method == "POST" else None,
        currencies=currencies,
        methods=methods,
        credit_offers=selectors.checkout_credit_offers(summary),
        initial={
            "delivery_address": _default_address(cooperative),
            "payment_method": methods[0],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = attempt(
            request,
            lambda: services.checkout_place(
                buyer=cooperative,
                actor=request.user,
                idempotency_key=request.POST.get("checkout_key", ""),
                payment_method=(
                    str(card)
                    if data["payment_method"] == CARD_PAYABLE_ONLY
                    else data["payment_method"]
                ),
                only_card_payable=data["payment_method"] == CARD_PAYABLE_ONLY,
                currency=data["currency"],
                delivery_address=data["delivery_address"],
                note=data["note"],
                credit=data["credit"],
            ),
            form=form,
        )
        if succeeded(result):
            placed = result.checkout
            if result.is_replay:
                messages.info(request, _("This checkout was already placed; here it is."))
            else:
                messages.success(
                    request,
                    _(
                        "Your order is placed: each seller receives its own order and tells you "
                        "when it accepts it."
                    ),
                )
            if (
                payments.rail_for(placed.payment_method).paid_up_front
                and placed.payment_status != PaymentStatus.SUCCEEDED
            ):
                return redirect(f"/checkout/{placed.pk}/pay/")
            return redirect("frontend:checkout-result", checkout_id=placed.pk)
    if not summary.line_count:
        messages.info(request, _("The cart of %(name)s is empty.") % {"name": cooperative.name})
        return redirect(_cart_url(cooperative))
    return render(
        request,
        "frontend/orders/checkout.html",
        {
            "cooperative": cooperative,
            "managed": managed,
            "summary": summary,
            "form": form,
            "offers_card": card in methods,
            # A new Idempotency-Key for every form shown: one form, sent twice, orders once.
            "checkout_key": uuid.uuid4().hex,
        },
    )


@login_required
def checkout_result(request: SignedInRequest, checkout_id: int) -> HttpResponse:
    placed = selectors.checkout_get_visible(user=request.user, checkout_id=checkout_id)
    return render(
        request,
        "frontend/orders/checkout_result.html",
        {"checkout": placed, "rail": payments.rail_for(placed.payment_method)},
    )


# Orders --------------------------------------------------------------------------------------


def _list_cooperative(
    request: SignedInRequest, memberships: list[Membership]
) -> Cooperative | None:
    """Mine by default; moderators may look at any cooperative's orders (flags to settle)."""
    slug = request.GET.get("cooperative")
    if (
        slug
        and is_moderator(request.user)
        and slug not in {m.cooperative.slug for m in memberships}
    ):
        return cooperative_get_visible(request.user, slug)
    return _chosen(request, memberships, slug)


@login_required
def order_list(request: SignedInRequest) -> HttpResponse:
    memberships = _memberships(request)
    cooperative = _list_cooperative(request, memberships)
    choices = [(m.cooperative.slug, m.cooperative.name) for m in memberships]
    if cooperative is not None and cooperative.slug not in dict(choices):
        choices.append((cooperative.slug, cooperative.name))
    form = OrderFilterForm(request.GET or None, cooperatives=choices)
    role = status = ""
    if form.is_bound and form.is_valid():
        role, status = form.cleaned_data["role"], form.cleaned_data["status"]
    context: dict[str, Any] = {"form": form, "cooperative": cooperative}
    if cooperative is not None:
        orders = selectors.order_list_for_cooperative(
            user=request.user, cooperative=cooperative, role=role, status=status
        )
        page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            {
                "order": order,
                "role": "buyer" if order.buyer_id == cooperative.pk else "seller",
                "partner": order.seller if order.buyer_id == cooperative.pk else order.buyer,
            }
            for order in page.object_list
        ]
        context["is_filtered"] = bool(role or status)
        context["unfiltered_url"] = _url_for("frontend:order-list", cooperative)
    return render(request, "frontend/orders/order_list.html", context)


def _timeline(order: Order) -> list[dict[str, Any]]:
    """Labels only: a note when a person wrote it (Minga's own notes carry provider ids and are
    for the admin and the API), a reference when it is a document number."""
    return [
        {
            "event": event,
            "label": event.label,
            "side": SIDE_LABELS.get(event.actor_side, ""),
            "note": event.note if event.actor_id else "",
            "reference": event.reference if event.action in DOCUMENT_KINDS else "",
        }
        for event in order.events.all()
    ]


def _order_context(
    request: SignedInRequest, order: Order, message_form: MessageForm | None = None
) -> dict[str, Any]:
    user = request.user
    actions = []
    for action in permissions.available_transitions(user, order):
        transition = find_transition(action, order.status)
        actions.append(
            {
                "name": action,
                "label": ACTION_LABELS[action],
                "help": ACTION_HELP[action],
                "is_reason_required": bool(transition and transition.is_reason_required),
                "is_danger": action in ("decline", "cancel"),
            }
        )
    invoices = {invoice.kind: invoice for invoice in order.invoices.all()}
    timeline = _timeline(order)
    can_read = permissions.can_read_messages(user, order)
    sides = permissions.sides_of(user, order)
    return {
        "order": order,
        "rail": payments.rail_for(order.payment_method),
        "sides": sides,
        "actions": actions,
        "can_mark_paid": services.order_mark_paid_refusal(order=order, actor=user) is None,
        "can_order_again": permissions.can_order_again(user, order),
        "can_ask_again": permissions.can_ask_again(user, order),
        "can_unflag": order.is_flagged and permissions.can_flag_order(user),
        "refund_to_close": selectors.refund_to_record_paid_outside(user=user, order=order),
        "invoice": invoices.get(InvoiceKind.INVOICE),
        "credit_note": invoices.get(InvoiceKind.CREDIT_NOTE),
        "timeline": timeline,
        "decline_reason": next(
            (item["event"].note for item in timeline if item["event"].action == "decline"), ""
        ),
        "how_to_pay": how_to_pay(user, order),
        "can_read_messages": can_read,
        "thread": list(selectors.message_list(user=user, order=order)) if can_read else [],
        "message_form": message_form or MessageForm(),
    }


@login_required
def order_detail(request: SignedInRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_visible(user=request.user, order_id=order_id)
    return render(request, "frontend/orders/order_detail.html", _order_context(request, order))


@login_required
@require_POST
def order_action(request: SignedInRequest, order_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    order = selectors.order_get_visible(user=request.user, order_id=order_id)
    form = OrderActionForm(request.POST)
    return submit(
        request,
        form,
        lambda: services.order_transition(
            order=order, action=action, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        DONE_MESSAGES[action] % {"id": order.pk},
        reverse("frontend:order-detail", args=[order.pk]),
    )


@login_required
@require_POST
def order_again(request: SignedInRequest, order_id: int) -> HttpResponse:
    """The order's lines in the buyer's cart again: the cart says what went in (and which price
    changed since), the order's page what could not."""
    order = selectors.order_get_visible(user=request.user, order_id=order_id)
    again = attempt(request, lambda: services.cart_order_again(order=order, actor=request.user))
    if not succeeded(again):
        return redirect("frontend:order-detail", order.pk)
    messages.success(
        request,
        ngettext(
            "%(count)s line of order #%(id)s is in the cart of %(cooperative)s: check it and "
            "order.",
            "%(count)s lines of order #%(id)s are in the cart of %(cooperative)s: check them "
            "and order.",
            len(again.added),
        )
        % {"count": len(again.added), "id": order.pk, "cooperative": order.buyer.name},
    )
    for added in again.added:
        ordered, line = added.ordered, added.line
        if (ordered.unit_price_amount, order.currency) != (line.unit_price_amount, line.currency):
            messages.warning(
                request,
                _("%(title)s costs %(now)s now (%(then)s in order #%(id)s).")
                % {
                    "title": line.title,
                    "now": Money(line.unit_price_amount, line.currency).format(),
                    "then": Money(ordered.unit_price_amount, order.currency).format(),
                    "id": order.pk,
                },
            )
    line_messages(request, again.skipped)
    return redirect(_cart_url(order.buyer))


def _order_note_action(service: Callable[..., Any], done: Any) -> Callable[..., HttpResponse]:
    """The view of an action on an order that takes an optional note (the form's `note`):
    `service(order=, actor=, note=)`, then the order's page says `done` (with its `id`)."""

    @login_required
    @require_POST
    def view(request: SignedInRequest, order_id: int) -> HttpResponse:
        order = selectors.order_get_visible(user=request.user, order_id=order_id)
        form = MarkPaidForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        return act(
            request,
            lambda: service(order=order, actor=request.user, note=note),
            done % {"id": order.pk},
            reverse("frontend:order-detail", args=[order.pk]),
        )

    return view


order_mark_paid = _order_note_action(
    services.order_mark_paid, gettext_lazy("Order #%(id)s is marked paid; the buyer is told.")
)
# A moderator settled what the flag was about.
order_unflag = _order_note_action(
    services.order_unflag, gettext_lazy("The flag on order #%(id)s is cleared.")
)


@login_required
@require_POST
def refund_paid_outside(request: SignedInRequest, order_id: int) -> HttpResponse:
    """A moderator records that the order's failed card refund was paid to the buyer another
    way."""
    order = selectors.order_get_visible(user=request.user, order_id=order_id)
    form = RefundPaidOutsideForm(request.POST)
    return submit(
        request,
        form,
        lambda: refund_close_paid_outside(
            order=order,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            reference=form.cleaned_data["reference"],
        ),
        _("The refund of order #%(id)s is recorded as paid outside Stripe; the buyer is told.")
        % {"id": order.pk},
        reverse("frontend:order-detail", args=[order.pk]),
    )


@login_required
@require_POST
def message_post(request: SignedInRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_visible(user=request.user, order_id=order_id)
    if not permissions.can_read_messages(request.user, order):
        raise Http404("No order with this id.")
    form = MessageForm(request.POST)
    posted = post_form(
        request,
        form,
        lambda: services.message_post(
            order=order, actor=request.user, body=form.cleaned_data["body"]
        ),
        done=_("Your message is sent."),
        then=reverse("frontend:order-detail", args=[order.pk]) + "#thread",
    )
    return posted or render(
        request, "frontend/orders/order_detail.html", _order_context(request, order, form)
    )


# Invoices ------------------------------------------------------------------------------------


@login_required
def invoice(request: SignedInRequest, order_id: int, kind: str) -> HttpResponse:
    document = selectors.document_get_visible(user=request.user, order_id=order_id, kind=kind)
    return render(
        request,
        "frontend/orders/invoice.html",
        {
            "invoice": document,
            "doc": documents.invoice_document(document, locale=_locale()),
            "is_credit_note": document.is_credit_note,
        },
    )


@login_required
def invoice_pdf(request: SignedInRequest, order_id: int, kind: str) -> HttpResponse:
    document = selectors.document_get_visible(user=request.user, order_id=order_id, kind=kind)
    response = HttpResponse(
        documents.invoice_pdf(document, locale=_locale()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response
