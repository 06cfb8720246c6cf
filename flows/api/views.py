"""The API of the flows that span apps: a person's data (`/me/` DELETE, `/me/export/`) and a
cooperative's export. The paths are those of docs/api.md; only the code moved above the apps."""

from typing import cast

from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.api.serializers import AccountDeleteSerializer, PersonalDataSerializer
from accounts.api.views import LOCKED_OR_THROTTLED
from accounts.api.views import MeView as AccountMeView
from accounts.models import User
from cooperatives import selectors
from cooperatives.api.serializers import CooperativeExportSerializer
from core.api.responses import THROTTLED, error, refusals
from core.api.serializers import ValidationErrorSerializer, validated
from flows import cooperatives, people


class MeView(AccountMeView):
    """`/me/`: the profile (GET, PATCH) from accounts, and the deletion of the account."""

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={
            204: None,
            400: ValidationErrorSerializer,
            409: error(
                "`last_owner`: you are the only owner of a cooperative; name another "
                "owner there first.",
            ),
            429: LOCKED_OR_THROTTLED,
        },
        description='Delete your account. Send `{"password": "..."}` in the JSON body to '
        "confirm (a wrong one counts like a failed sign-in). You leave every cooperative; orders, "
        "invoices and messages that cooperatives keep for their accounts stay, showing "
        '"Former member" instead of your name; reports you filed stay without your name.',
    )
    def delete(self, request: Request) -> Response:
        data = validated(AccountDeleteSerializer, request.data)
        people.user_delete(
            user=request.user,  # type: ignore[arg-type]
            password=data["password"],
            request=request._request,
        )
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "exports"

    @extend_schema(
        responses={200: PersonalDataSerializer, 429: THROTTLED},
        description="Everything Minga holds about you or that you wrote, as one JSON document "
        "(a download: `Content-Disposition: attachment`).",
    )
    def get(self, request: Request) -> Response:
        body = people.user_export(user=request.user)  # type: ignore[arg-type]
        return download(Response(body), "minga-personal-data.json")


def download(response: Response, filename: str) -> Response:
    """A JSON answer that browsers save as a file and no cache keeps (it is personal data)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class CooperativeExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "exports"

    @extend_schema(
        responses={
            200: CooperativeExportSerializer,
            **refusals(403, 404),
            429: error("Too many exports; try later."),
        },
        description="Everything Minga holds about the cooperative, for its owners: profile, "
        "members, invitations, verification requests, listings, orders (as buyer and seller) "
        "and invoices, as one JSON document (a download).",
    )
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_for_member(user=request.user, slug=slug)
        body = cooperatives.cooperative_export(
            cooperative=cooperative, actor=cast(User, request.user)
        )
        response = Response(body)
        response["Content-Disposition"] = f'attachment; filename="minga-{cooperative.slug}.json"'
        response["Cache-Control"] = "no-store"
        return response
