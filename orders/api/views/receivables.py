"""Receivables API: invoices as what is owed, payments, the buyer's payment notices, aging and
statements (docs/api.md, "Receivables")."""

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from core.api.responses import NOT_FOUND, refusals
from core.api.serializers import validated
from core.api.views import DescribedListView, FileFormatView
from orders.api.receivables import (
    AgingQuerySerializer,
    AgingSerializer,
    CreditPaymentInputSerializer,
    CreditPaymentRecordedSerializer,
    FeePaymentInputSerializer,
    FeePaymentSerializer,
    FeeQuerySerializer,
    FeeStatementSerializer,
    InvoiceListQuerySerializer,
    NoticeInputSerializer,
    NoticeSerializer,
    PaymentInputSerializer,
    PaymentRecordedSerializer,
    ReceivableSerializer,
    RejectInputSerializer,
    StatementQuerySerializer,
    StatementRowSerializer,
)
from orders.api.views.common import CooperativeReportView, cooperative_named, request_locale
from orders.receivables import credit, documents, fees, selectors, services
from orders.selectors import order_get_visible

PAYMENT_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A new random value (a UUID) per payment; a retry with the same key and body "
    "returns the first payment (200) instead of recording it twice.",
)
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


def _payment_answer(request: Request, invoice_id: int, recorded: services.Recorded) -> Response:
    """The payment and the invoice as it is now: 201, or 200 for a retry (the first payment)."""
    invoice = selectors.invoice_get_visible(user=request.user, invoice_id=invoice_id)
    body = PaymentRecordedSerializer({"payment": recorded.payment, "invoice": invoice}).data
    code = status.HTTP_200_OK if recorded.is_replay else status.HTTP_201_CREATED
    return Response(body, status=code)


def _credit_answer(payment: Any, invoice: Any, order_id: int, is_replay: bool) -> Response:
    body = CreditPaymentRecordedSerializer(
        {"payment": payment, "invoice": invoice, "order": order_id}
    ).data
    return Response(body, status=status.HTTP_200_OK if is_replay else status.HTTP_201_CREATED)


def _recorded_responses(serializer: type) -> dict:
    """A payment recorded (201), or replayed by its Idempotency-Key (200), or refused."""
    return {
        201: serializer,
        200: OpenApiResponse(serializer, description="A retry: the first."),
        **refusals(400, 403, 404, 409),
    }


class InvoiceListView(DescribedListView):
    permission_classes = [IsAuthenticated]
    serializer_class = ReceivableSerializer
    query_class = InvoiceListQuerySerializer
    errors = refusals(400, 404)
    description = (
        "A cooperative's invoices as seller (receivables) or buyer (payables), oldest "
        "due first, with what is due, paid and left. For its members and moderators."
    )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        values = self.query()
        return selectors.invoice_list(
            user=self.request.user,
            cooperative=cooperative_named(values["cooperative"]),
            role=values.get("role", ""),
            status=values.get("status", ""),
            currency=values.get("currency", ""),
        )


class InvoicePaymentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PaymentInputSerializer,
        parameters=[PAYMENT_KEY],
        responses=_recorded_responses(PaymentRecordedSerializer),
        description="The seller records money received against the invoice, part or all of what "
        "is left; more than is left is a 409 `overpayment` and nothing is recorded.",
    )
    def post(self, request: Request, pk: int) -> Response:
        invoice = selectors.invoice_get_visible(user=request.user, invoice_id=pk)
        data = validated(PaymentInputSerializer, request.data)
        recorded = services.invoice_payment_record(
            invoice=invoice,
            actor=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            **data,
        )
        return _payment_answer(request, pk, recorded)


class CreditPaymentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CreditPaymentInputSerializer,
        parameters=[PAYMENT_KEY],
        responses=_recorded_responses(CreditPaymentRecordedSerializer),
        description="The buyer pays part or all of an open invoice, or of a placed order not "
        "invoiced yet, in mutual credit (both cooperatives joined the currency's credit system; "
        "the seller accepts that share in credit). 409 credit_line_exceeded, "
        "credit_upper_limit_exceeded, credit_not_joined, credit_not_accepted or "
        "credit_share_exceeded; nothing is half-paid. 404 for an invoice or order the caller "
        "may not see.",
    )
    def post(self, request: Request) -> Response:
        values = validated(CreditPaymentInputSerializer, request.data)
        key = request.headers.get("Idempotency-Key", "")
        if "order" in values:
            order = order_get_visible(user=request.user, order_id=values["order"])
            invoice = selectors.invoice_of(order)
            if invoice is None:
                payment, is_replay = credit.order_pay_in_credit(
                    order=order, actor=request.user, amount=values["amount"], idempotency_key=key
                )
                return _credit_answer(payment, None, order.pk, is_replay)
        else:
            invoice = selectors.invoice_get_visible(user=request.user, invoice_id=values["invoice"])
        recorded = services.invoice_pay_in_credit(
            invoice=invoice, actor=request.user, amount=values["amount"], idempotency_key=key
        )
        invoice = selectors.invoice_get_visible(user=request.user, invoice_id=invoice.pk)
        return _credit_answer(recorded.payment, invoice, invoice.order_id, recorded.is_replay)


class PaymentNoticeCreateView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": NoticeInputSerializer},
        responses={201: NoticeSerializer, **refusals(400, 403, 404, 409, 429)},
        description="The buyer tells the seller it paid, with a proof (PDF or image); the seller "
        "confirms it (the payment is recorded) or rejects it.",
    )
    def post(self, request: Request, pk: int) -> Response:
        invoice = selectors.invoice_get_visible(user=request.user, invoice_id=pk)
        data = validated(NoticeInputSerializer, request.data)
        notice = services.payment_notice_send(invoice=invoice, actor=request.user, **data)
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class PaymentNoticeDecisionView(APIView):
    permission_classes = [IsAuthenticated]
    decision = "confirm"

    @extend_schema(
        request=RejectInputSerializer,
        responses={200: NoticeSerializer, **refusals(400, 403, 404, 409)},
        description="The seller confirms the notice (its payment is recorded) or rejects it with "
        "a reason (`reason` only for reject).",
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = selectors.notice_get_visible(user=request.user, notice_id=pk)
        if self.decision == "reject":
            data = validated(RejectInputSerializer, request.data)
            notice = services.payment_notice_reject(
                notice=notice, actor=request.user, reason=data["reason"]
            )
        else:
            notice = services.payment_notice_confirm(notice=notice, actor=request.user)
        return Response(NoticeSerializer(notice).data)


class PaymentNoticeProofView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
            302: OpenApiResponse(
                description="With object storage (docs/deployment.md): a redirect to the "
                "proof at a signed URL that works for a few minutes."
            ),
            404: NOT_FOUND,
        },
        description="The proof sent with the notice, as an attachment; for the two cooperatives "
        "and moderators.",
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        notice = selectors.notice_get_visible(user=request.user, notice_id=pk)
        return documents.proof_response(notice)


class AgingView(CooperativeReportView):
    query_class = AgingQuerySerializer
    serializer_class = AgingSerializer
    description = (
        "What is left to pay on unpaid invoices, per currency, by days past due "
        "(current, 1–30, 31–60, 61–90, 90+): as `seller` what buyers owe the cooperative, as "
        "`buyer` what it owes. For members and moderators."
    )

    def report(self, cooperative: Cooperative, query: dict[str, Any]) -> Any:
        role, today = query["role"], timezone.localdate()
        rows = selectors.aging(
            user=self.request.user, cooperative=cooperative, role=role, today=today
        )
        return {"role": role, "as_of": today, "rows": rows}


class StatementView(FileFormatView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[StatementQuerySerializer],
        responses={
            200: StatementRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **refusals(400, 404),
        },
        description="The cooperative's statement from the ledger: every entry on what it is owed "
        "or owes (with one counterparty, in one currency, between two days), with the running "
        "balance. `format=csv` or `format=pdf` for the accountant. For members and moderators.",
    )
    def get(self, request: Request, slug: str) -> Response | HttpResponse:
        values = validated(StatementQuerySerializer, request.query_params)
        cooperative = cooperative_named(slug)
        counterparty = None
        if values.get("counterparty"):
            counterparty = cooperative_named(values["counterparty"])
        rows = selectors.statement(
            user=request.user,
            cooperative=cooperative,
            counterparty=counterparty,
            currency=values.get("currency", ""),
            date_from=values.get("from"),
            date_to=values.get("to"),
        )
        name = f"{cooperative.slug}-statement"
        if values["format"] == "csv":
            response = HttpResponse(documents.statement_csv(rows), content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if values["format"] == "pdf":
            title = documents.statement_title(cooperative, counterparty)
            pdf = documents.statement_pdf(rows, title=title, locale=request_locale(request))
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        return Response(StatementRowSerializer(rows, many=True).data)


def _month(value: str) -> date:
    if not value:
        return timezone.localdate().replace(day=1)
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class FeeStatementView(CooperativeReportView):
    query_class = FeeQuerySerializer
    serializer_class = FeeStatementSerializer
    description = (
        "The seller's solidarity fee: what it owes per currency (from the ledger), "
        "how to pay it, and the month's statement (each fee due and paid, with what is owed "
        "after it). For the seller's members and the platform's treasurers."
    )

    def report(self, seller: Cooperative, query: dict[str, Any]) -> Any:
        month = _month(query.get("month", ""))
        rows = fees.fee_statement(user=self.request.user, seller=seller, month=month)
        owed = [{"currency": c, "owed": v} for c, v in fees.fees_owed(seller).items()]
        return {
            "month": month.strftime("%Y-%m"),
            "owed": owed,
            "how_to_pay": settings.PLATFORM_BANK_DETAILS,
            "rows": rows,
        }


class FeePaymentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FeePaymentInputSerializer,
        parameters=[PAYMENT_KEY],
        responses=_recorded_responses(FeePaymentSerializer),
        description="A platform treasurer records the seller's payment of its solidarity fee; "
        "more than it owes in that currency is a 409 `fee_overpayment`, nothing recorded.",
    )
    def post(self, request: Request, slug: str) -> Response:
        seller = cooperative_named(slug)
        fees.ensure_treasurer(request.user)
        data = validated(FeePaymentInputSerializer, request.data)
        recorded = fees.fee_payment_record(
            seller=seller,
            actor=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            **data,
        )
        payment = recorded.payment
        payment.owed = fees.fee_owed(seller, payment.currency)  # type: ignore[attr-defined]
        code = status.HTTP_200_OK if recorded.is_replay else status.HTTP_201_CREATED
        return Response(FeePaymentSerializer(payment).data, status=code)
