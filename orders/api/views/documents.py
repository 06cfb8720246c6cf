import datetime
from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from core.api.responses import INVALID, NOT_FOUND, refusals
from core.api.serializers import validated
from orders import charts, documents, reports, selectors
from orders.api.serializers import (
    OrderInvoiceSerializer,
    ReportQuerySerializer,
    TradeReportSerializer,
)
from orders.api.views.common import CooperativeReportView, cooperative_named, request_locale
from orders.models import InvoiceKind


class InvoiceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: OrderInvoiceSerializer, 404: NOT_FOUND},
        description="The invoice issued when the order was accepted (invoice settlement), with "
        "its credit note if the order was cancelled afterwards.",
    )
    def get(self, request: Request, pk: int) -> Response:
        invoice = selectors.document_get_visible(
            user=request.user, order_id=pk, kind=InvoiceKind.INVOICE
        )
        credit_note = next(
            (i for i in invoice.order.invoices.all() if i.kind == InvoiceKind.CREDIT_NOTE), None
        )
        context = {"request": request, "credit_note": credit_note}
        return Response(OrderInvoiceSerializer(invoice, context=context).data)


class DocumentFileView(APIView):
    """The invoice or credit note as PDF or printable HTML."""

    permission_classes = [IsAuthenticated]
    kind = InvoiceKind.INVOICE
    file_format = "pdf"

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
            404: NOT_FOUND,
        },
        description="The document as a PDF, or as an HTML page made to be printed.",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        invoice = selectors.document_get_visible(user=request.user, order_id=pk, kind=self.kind)
        locale = request_locale(request)
        if self.file_format == "html":
            return HttpResponse(
                documents.invoice_html(invoice, locale=locale), content_type="text/html"
            )
        response = HttpResponse(
            documents.invoice_pdf(invoice, locale=locale), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response


# The query as a serializer: the schema states its bounds (2000–2100), as the check does.
YEAR_PARAM = ReportQuerySerializer


def _trade(user: Any, cooperative: Cooperative, query: dict[str, Any]) -> dict:
    year = query.get("year") or datetime.date.today().year
    return reports.trade_report(user=user, cooperative=cooperative, year=year)


def _report(request: Request, slug: str) -> dict:
    query = validated(ReportQuerySerializer, request.query_params)
    return _trade(request.user, cooperative_named(slug), query)


class TradeReportView(CooperativeReportView):
    query_class = YEAR_PARAM
    serializer_class = TradeReportSerializer
    description = (
        "Sales and purchases per month and per partner cooperative, per currency. "
        "Declined and cancelled orders are left out. For members and moderators."
    )

    def report(self, cooperative: Cooperative, query: dict[str, Any]) -> Any:
        return _trade(self.request.user, cooperative, query)


class TradeReportCsvView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[YEAR_PARAM],
        responses={(200, "text/csv"): OpenApiTypes.STR, **refusals(400, 404)},
        description="The same report as CSV (amounts in major units, e.g. 1250.00).",
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        report = _report(request, slug)
        response = HttpResponse(reports.trade_report_csv(report), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="{report["cooperative"].slug}-trade-{report["year"]}.csv"'
        )
        return response


class TradeChartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            YEAR_PARAM,
            OpenApiParameter("currency", OpenApiTypes.STR, description="Defaults to the first."),
        ],
        responses={
            (200, "image/svg+xml"): OpenApiTypes.STR,
            400: INVALID,
            404: OpenApiResponse(description="No such cooperative, or no trade in the currency."),
        },
        description="Sales and purchases per month as an SVG bar chart.",
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        report = _report(request, slug)
        currencies = sorted({row.currency for row in report["months"]})
        currency = (request.query_params.get("currency") or "").upper() or (
            currencies[0] if currencies else ""
        )
        if currency not in currencies:
            raise Http404("No trade in this currency this year.")
        svg = charts.trade_chart_svg(
            report["months"], currency=currency, year=report["year"], locale=request_locale(request)
        )
        return HttpResponse(svg, content_type="image/svg+xml")
