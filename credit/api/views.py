"""Thin views of mutual credit (docs/api.md, "Mutual credit"): the systems, joining one, a
cooperative's accounts, and the committee setting a line. Credit payments of an invoice are an
orders view (orders.api.views.receivables), since they pay an order's invoice."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from cooperatives.permissions import role_in
from core.api.responses import (
    UNAUTHENTICATED,
    WRITE_REFUSALS,
    refusals,
)
from core.api.views import ActionView, first_or_404
from credit import selectors, services
from credit.api.serializers import (
    AccountQuerySerializer,
    AccountSerializer,
    ConsentInputSerializer,
    JoinInputSerializer,
    LineInputSerializer,
    LineRequestSerializer,
    SystemSerializer,
)
from credit.models import CreditAccount, CreditSystem
from credit.permissions import IsCreditCommittee, is_credit_committee


def _cooperative(slug: str) -> Cooperative:
    return first_or_404(Cooperative.objects.filter(slug=slug), "No cooperative with this slug.")


def _account_body(account: CreditAccount) -> Response:
    found = selectors.credit_accounts_of(account.cooperative).get(pk=account.pk)
    return Response(AccountSerializer(found).data)


class SystemListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: SystemSerializer(many=True), 401: UNAUTHENTICATED},
        description="The credit systems, one per currency, with their current terms.",
    )
    def get(self, request: Request) -> Response:
        return Response(SystemSerializer(selectors.credit_systems(), many=True).data)


class SystemJoinView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=JoinInputSerializer,
        responses={
            201: AccountSerializer,
            200: OpenApiResponse(AccountSerializer, description="Already a member: recorded."),
            **WRITE_REFUSALS,
        },
        description="A cooperative joins the system by accepting its current terms (owners and "
        "admins); 409 credit_terms_outdated when the version is not the current one.",
    )
    def post(self, request: Request, system_id: int) -> Response:
        system = first_or_404(
            CreditSystem.objects.filter(pk=system_id), "No credit system with this id."
        )
        data = JoinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cooperative = _cooperative(data.validated_data["cooperative"])
        account, opened = services.credit_system_join(
            system=system,
            cooperative=cooperative,
            actor=request.user,
            terms_version=data.validated_data["terms_version"],
        )
        response = _account_body(account)
        response.status_code = status.HTTP_201_CREATED if opened else status.HTTP_200_OK
        return response


class AccountListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[AccountQuerySerializer],
        responses={200: AccountSerializer(many=True), **refusals(400, 401, 404)},
        description="A cooperative's credit accounts: balance, line, upper limit, available "
        "credit and the log of its limits. For its members and the credit committee only.",
    )
    def get(self, request: Request) -> Response:
        query = AccountQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        cooperative = _cooperative(query.validated_data["cooperative"])
        if role_in(request.user, cooperative) is None and not is_credit_committee(request.user):
            raise Http404("No cooperative with this slug.")
        accounts = selectors.credit_accounts_of(cooperative)
        return Response(AccountSerializer(accounts, many=True).data)


class AccountDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ConsentInputSerializer,
        # The refusals of a member's change of its own cooperative's account.
        responses={200: AccountSerializer, **refusals(400, 401, 403, 404)},
        description="The cooperative's owners and admins give or withdraw its standing consent "
        "to clearing (`clearing_consent`). Withdrawn, its invoices stay out of the next runs and "
        "a run proposed before answers 409 clearing_stale on execution. 404 for an account the "
        "caller's cooperatives do not hold.",
    )
    def patch(self, request: Request, account_id: int) -> Response:
        account = CreditAccount.objects.select_related("cooperative").filter(pk=account_id).first()
        if account is None or role_in(request.user, account.cooperative) is None:
            raise Http404("No credit account with this id.")
        data = ConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = services.credit_consent_set(
            account=account,
            actor=request.user,
            consent=data.validated_data["clearing_consent"],
        )
        return _account_body(account)


class AccountLineView(ActionView):
    permission_classes = [IsCreditCommittee]
    input_class = LineInputSerializer
    serializer_class = LineRequestSerializer
    created = True
    description = (
        "The credit committee sets an account's limits with a reason. A line deeper "
        "than the four-eyes threshold stays `pending` until a second member sets the same "
        "limits; otherwise it is `applied` at once."
    )

    def target(self) -> CreditAccount:
        accounts = CreditAccount.objects.filter(pk=self.kwargs["account_id"])
        return first_or_404(accounts, "No credit account with this id.")

    def act(self, account: CreditAccount, data: dict[str, Any]) -> Any:
        return services.credit_line_set(account=account, actor=self.request.user, **data)
