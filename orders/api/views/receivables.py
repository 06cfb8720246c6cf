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
from core.api.views import FileFormatView, ObjectView
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
from orders.api.views.common import (
    CooperativeListView,
    CooperativeReportView,
    cooperative_named,
    request_locale,
)
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


class PaymentRecordView(ObjectView):
    """A payment recorded once per Idempotency-Key: `target()` finds what it pays (404), the
    body is validated by `input_class` (400), and `record(target, data, key)` records it, or
    finds the payment first recorded with this key, and returns what to answer and whether it is
    such a retry: 201, or 200 for a retry. The schema follows from these and `description`."""

    input_class: type
    description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        extend_schema(
            request=cls.input_class,
            parameters=[PAYMENT_KEY],
            responses={
                201: cls.serializer_class,
                200: OpenApiResponse(cls.serializer_class, description="A retry: the first."),
                **refusals(400, 403, 404, 409),
            },
            description=cls.description,
        )(cls)

    def record(self, target: Any, data: dict[str, Any], key: str) -> tuple[Any, bool]:
        raise NotImplementedError

    def post(self, request: Request, **kwargs: Any) -> Response:
        target = self.target()
        data = validated(self.input_class, request.data)
        result, is_replay = self.record(target, data, request.headers.get("Idempotency-Key", ""))
        return self.answer(result, status.HTTP_200_OK if is_replay else status.HTTP_201_CREATED)


class InvoiceListView(CooperativeListView):
    serializer_class = ReceivableSerializer
    query_class = InvoiceListQuerySerializer
    description = (
        "A cooperative's invoices as seller (receivables) or buyer (payables), oldest "
        "due first, with what is due, paid and left. For its members and moderators."
    )
    select = staticmethod(selectors.invoice_list)


class InvoicePaymentView(PaymentRecordView):
    input_class = PaymentInputSerializer
    serializer_class = PaymentRecordedSerializer
    description = (
        "The seller records money received against the invoice, part or all of what "
        "is left; more than is left is a 409 `overpayment` and nothing is recorded."
    )

    def target(self) -> Any:
        return selectors.invoice_get_visible(user=self.request.user, invoice_id=self.kwargs["pk"])

    def record(self, invoice: Any, data: dict[str, Any], key: str) -> tuple[Any, bool]:
        recorded = services.invoice_payment_record(
            invoice=invoice, actor=self.request.user, idempotency_key=key, **data
        )
        return {"payment": recorded.payment, "invoice": self.target()}, recorded.is_replay


class CreditPaymentView(PaymentRecordView):
    input_class = CreditPaymentInputSerializer
    serializer_class = CreditPaymentRecordedSerializer
    description = (
        "The buyer pays part or all of an open invoice, or of a placed order not "
        "invoiced yet, in mutual credit (both cooperatives joined the currency's credit system; "
        "the seller accepts that share in credit). 409 credit_line_exceeded, "
        "credit_upper_limit_exceeded, credit_not_joined, credit_not_accepted or "
        "credit_share_exceeded; nothing is half-paid. 404 for an invoice or order the caller "
        "may not see."
    )

    def record(self, nothing: None, values: dict[str, Any], key: str) -> tuple[Any, bool]:
        user, amount = self.request.user, values["amount"]
        if "order" in values:
            order = order_get_visible(user=user, order_id=values["order"])
            invoice = selectors.invoice_of(order)
            if invoice is None:
                payment, is_replay = credit.order_pay_in_credit(
                    order=order, actor=user, amount=amount, idempotency_key=key
                )
                return {"payment": payment, "invoice": None, "order": order.pk}, is_replay
        else:
            invoice = selectors.invoice_get_visible(user=user, invoice_id=values["invoice"])
        recorded = services.invoice_pay_in_credit(
            invoice=invoice, actor=user, amount=amount, idempotency_key=key
        )
        invoice = selectors.invoice_get_visible(user=user, invoice_id=invoice.pk)
        body = {"payment": recorded.payment, "invoice": invoice, "order": invoice.order_id}
        return body, recorded.is_replay


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


class FeePaymentView(PaymentRecordView):
    input_class = FeePaymentInputSerializer
    serializer_class = FeePaymentSerializer
    description = (
        "A platform treasurer records the seller's payment of its solidarity fee; "
        "more than it owes in that currency is a 409 `fee_overpayment`, nothing recorded."
    )

    def target(self) -> Cooperative:
        seller = cooperative_named(self.kwargs["slug"])
        fees.ensure_treasurer(self.request.user)
        return seller

    def record(self, seller: Cooperative, data: dict[str, Any], key: str) -> tuple[Any, bool]:
        recorded = fees.fee_payment_record(
            seller=seller, actor=self.request.user, idempotency_key=key, **data
        )
        payment = recorded.payment
        payment.owed = fees.fee_owed(seller, payment.currency)  # type: ignore[attr-defined]
        return payment, recorded.is_replay
