"""Receivables pages: a cooperative's invoices as seller and buyer with the aging, an invoice's
page (what is due, how to pay, payments, notices and their forms), and the statement."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives import selectors as cooperative_selectors
from cooperatives.payout_validation import display_rows
from credit import selectors as credit_selectors
from frontend.credit_forms import CreditPayForm
from frontend.receivable_forms import InvoiceFilterForm, NoticeForm, PaymentForm, RejectForm
from frontend.receivable_tables import aging_table, invoices_table, statement_table
from frontend.views.common import SignedInRequest, act, post_form
from orders import permissions as order_permissions
from orders.receivables import documents, fees, selectors, services
from orders.receivables.credit import order_credit_max
from orders.receivables.state import UNPAID, NoticeStatus
from orders.state import Side


@login_required
def invoice_list(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug)
    form = InvoiceFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    role = values.get("role") or Side.SELLER
    invoices = selectors.invoice_list(
        user=request.user, cooperative=cooperative, role=role, status=values.get("status", "")
    )
    aging = selectors.aging(user=request.user, cooperative=cooperative, role=role)
    return render(
        request,
        "frontend/receivables/invoice_list.html",
        {
            "cooperative": cooperative,
            "form": form,
            "role": role,
            "invoices": invoices_table(invoices[:200], role=role),
            "aging": aging_table(aging),
            "fees_owed": sorted(fees.fees_owed(cooperative).items()) if role == Side.SELLER else [],
        },
    )


def _invoice_context(request: SignedInRequest, invoice_id: int) -> dict:
    invoice = selectors.invoice_get_visible(user=request.user, invoice_id=invoice_id)
    order = invoice.order
    sides = order_permissions.managing_sides_of(request.user, order)
    details = cooperative_selectors.payout_details_of(order.seller)
    is_unpaid = invoice.status in UNPAID
    can_notify = Side.BUYER in sides and is_unpaid
    return {
        "invoice": invoice,
        "order": order,
        "payments": invoice.payments.order_by("created_at", "id"),
        "notices": selectors.notices_for(invoice),
        "payout_rows": display_rows(details) if details and is_unpaid else [],
        "can_record": Side.SELLER in sides and is_unpaid,
        "can_notify": can_notify,
        # Paying in credit (docs/pages.md): offered to the buyer when the seller takes credit
        # for this order (the share the payment service enforces), not merely joined the system.
        "credit": credit_selectors.credit_offer(order.buyer, order.seller, invoice.currency)
        if can_notify and order_credit_max(order) > 0
        else None,
        "credit_form": CreditPayForm(currency=invoice.currency),
        "payment_key": uuid.uuid4().hex,
        "is_seller": Side.SELLER in sides,
        "pending": NoticeStatus.PENDING,
    }


@login_required
def invoice_detail(request: SignedInRequest, invoice_id: int) -> HttpResponse:
    context = _invoice_context(request, invoice_id)
    currency = context["invoice"].currency
    context["payment_form"] = PaymentForm(currency=currency)
    context["notice_form"] = NoticeForm(currency=currency)
    context["reject_form"] = RejectForm()
    return render(request, "frontend/receivables/invoice_detail.html", context)


def _form_failed(request: SignedInRequest, invoice_id: int, **forms: object) -> HttpResponse:
    context = _invoice_context(request, invoice_id)
    currency = context["invoice"].currency
    context.update(
        {
            "payment_form": PaymentForm(currency=currency),
            "notice_form": NoticeForm(currency=currency),
            "reject_form": RejectForm(),
            **forms,
        }
    )
    return render(request, "frontend/receivables/invoice_detail.html", context)


def _invoice_form(
    form_name: str, form_class: type[PaymentForm] | type[NoticeForm], service: Callable, done: Any
) -> Callable[..., HttpResponse]:
    """The view that posts a payment or a notice form (`form_name` in the invoice page): on
    success back to the invoice with `done`, else the invoice page with the form's errors."""

    @login_required
    @require_POST
    def view(request: SignedInRequest, invoice_id: int) -> HttpResponse:
        invoice = selectors.invoice_get_visible(user=request.user, invoice_id=invoice_id)
        form = form_class(request.POST, request.FILES, currency=invoice.currency)
        posted = post_form(
            request,
            form,
            lambda: service(**form.cleaned_data, invoice=invoice, actor=request.user),
            done=str(done),
            then=reverse("frontend:invoice-detail", args=[invoice.pk]),
        )
        return posted or _form_failed(request, invoice_id, **{form_name: form})

    return view


payment_record = _invoice_form(
    "payment_form",
    PaymentForm,
    services.invoice_payment_record,
    gettext_lazy("The payment is recorded."),
)
notice_send = _invoice_form(
    "notice_form",
    NoticeForm,
    services.payment_notice_send,
    gettext_lazy("The seller is told; it confirms when it sees the money."),
)


@login_required
@require_POST
def notice_decide(request: SignedInRequest, notice_id: int, decision: str) -> HttpResponse:
    notice = selectors.notice_get_visible(user=request.user, notice_id=notice_id)
    invoice_id = notice.invoice_id
    back = reverse("frontend:invoice-detail", args=[invoice_id])
    if decision == "confirm":
        return act(
            request,
            lambda: services.payment_notice_confirm(notice=notice, actor=request.user),
            _("Confirmed: the payment is recorded."),
            back,
        )
    if decision != "reject":
        raise Http404("No such decision.")
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _form_failed(request, invoice_id, reject_form=form)
    return act(
        request,
        lambda: services.payment_notice_reject(
            notice=notice, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Rejected: the buyer is told why."),
        back,
    )


@login_required
@require_safe
def notice_proof(request: SignedInRequest, notice_id: int) -> HttpResponseBase:
    notice = selectors.notice_get_visible(user=request.user, notice_id=notice_id)
    return documents.proof_response(notice)


def _statement(request: SignedInRequest, slug: str) -> tuple:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug)
    counterparty = None
    if request.GET.get("counterparty"):
        counterparty = cooperative_selectors.cooperative_find_by_slug(request.GET["counterparty"])
    currency = (request.GET.get("currency") or "").strip()[:3]
    rows = selectors.statement(
        user=request.user, cooperative=cooperative, counterparty=counterparty, currency=currency
    )
    return cooperative, counterparty, currency, rows


@login_required
def statement(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative, counterparty, currency, rows = _statement(request, slug)
    balances: dict[str, int] = {}
    for row in rows:
        balances[row.currency] = row.balance
    return render(
        request,
        "frontend/receivables/statement.html",
        {
            "cooperative": cooperative,
            "counterparty": counterparty,
            "currency": currency,
            "rows": statement_table(rows),
            "balances": sorted(balances.items()),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def statement_file(request: SignedInRequest, slug: str, file_format: str) -> HttpResponse:
    cooperative, counterparty, _currency, rows = _statement(request, slug)
    name = f"{cooperative.slug}-statement.{file_format}"
    if file_format == "csv":
        response = HttpResponse(documents.statement_csv(rows), content_type="text/csv")
    else:
        title = documents.statement_title(cooperative, counterparty)
        pdf = documents.statement_pdf(rows, title=title, locale=get_language() or "en")
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
