"""Thin views: the credit committee proposes, reads and executes clearing runs (docs/api.md)."""

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearing import documents, selectors, services
from clearing.api.serializers import (
    CreditMonthSerializer,
    RunInputSerializer,
    RunSerializer,
    StatementQuerySerializer,
    StatementSerializer,
    TransparencyQuerySerializer,
)
from clearing.models import ClearingRun
from clearing.permissions import IsCreditCommittee
from core.api.responses import INVALID, error, refusals
from core.api.views import ActionView, FileFormatView, first_or_404
from orders.api.views.common import request_locale

FORBIDDEN = error("Only the credit committee may do this.")
STALE = error("Invoices changed since the proposal; nothing was set off.")
# Reading or executing a run: sign in, be on the committee, name a run that exists.
RUN_REFUSALS = {**refusals(401, 403, 404), 403: FORBIDDEN}


class RunCreateView(ActionView):
    permission_classes = [IsCreditCommittee]
    input_class = RunInputSerializer
    serializer_class = RunSerializer
    created = True
    errors = {**refusals(400, 401), 403: FORBIDDEN}
    description = (
        "Propose a clearing run: the set-off that clears the most of the open invoices of "
        "one currency while leaving every cooperative's net position unchanged."
    )

    def act(self, nothing: None, data: dict[str, Any]) -> Any:
        run = services.clearing_run_propose(currency=data["currency"], actor=self.request.user)
        return selectors.clearing_run_detail(run.pk)


class RunDetailView(APIView):
    permission_classes = [IsCreditCommittee]

    @extend_schema(
        responses={200: RunSerializer, **RUN_REFUSALS},
        description="A clearing run: per invoice the set-off, per cooperative before and after.",
    )
    def get(self, request: Request, run_id: int) -> Response:
        run = selectors.clearing_run_detail(run_id)
        if run is None:
            raise NotFound()
        return Response(RunSerializer(run).data)


class RunExecuteView(ActionView):
    permission_classes = [IsCreditCommittee]
    serializer_class = RunSerializer
    errors = {**RUN_REFUSALS, 409: STALE}
    description = (
        "Execute a proposed run: every invoice's amount left goes down by its set-off and "
        "the books record it. Refused with 409 clearing_stale when an invoice changed since "
        "the proposal; executing an executed run again changes nothing."
    )

    def target(self) -> ClearingRun:
        return first_or_404(ClearingRun.objects.filter(pk=self.kwargs["run_id"]))

    def act(self, run: ClearingRun, data: dict[str, Any]) -> Any:
        run = services.clearing_run_execute(run=run, actor=self.request.user)
        return selectors.clearing_run_detail(run.pk)


class TransparencyView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TransparencyQuerySerializer],
        responses={200: CreditMonthSerializer(many=True), 400: INVALID},
        description="Public: per currency and month of a year, how much credit circulated, how "
        "much debt was cleared by set-off and the bank transfers it saved. Totals only, never "
        "one cooperative's figures; may lag by a few minutes.",
    )
    def get(self, request: Request) -> Response:
        query = TransparencyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        months = selectors.credit_transparency(year=year)
        return Response(CreditMonthSerializer(months, many=True).data)


class StatementView(FileFormatView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[StatementQuerySerializer],
        responses={
            200: StatementSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            **refusals(400, 401, 404),
        },
        description=(
            "A participant's set-off statement of an executed run: each invoice set off, with "
            "its counterparty, number and amounts before and after; `format=pdf` for the "
            "printable record. For the cooperative's members, the credit committee and staff."
        ),
    )
    def get(self, request: Request, run_id: int, slug: str) -> Response | HttpResponse:
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        statement = selectors.setoff_statement_visible(request.user, run_id, slug)
        if query.validated_data["format"] == "pdf":
            return documents.setoff_statement_response(statement, locale=request_locale(request))
        return Response(StatementSerializer(statement).data)
