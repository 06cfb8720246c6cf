from typing import cast

from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from cooperatives import permissions as rules
from cooperatives import selectors, services
from cooperatives.api.filters import CooperativeFilter
from cooperatives.api.serializers import (
    CooperativePrivateSerializer,
    CooperativeSerializer,
    CooperativeWriteSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    PayoutDetailsSerializer,
    VerificationInputSerializer,
    VerificationRequestSerializer,
)
from cooperatives.models import Cooperative, Invitation, Membership, PayoutDetails
from core.api.parsers import FormParser, JSONParser
from core.api.responses import NOT_FOUND, UNAUTHENTICATED, refusals
from core.api.serializers import validated
from core.errors import NotPermitted
from core.storage import SignedS3Storage, signed_redirect
from core.uploads import IMAGE_CONTENT_TYPES

DOCUMENT_TYPES = ["application/pdf", *IMAGE_CONTENT_TYPES.values()]


def _actor(request: Request) -> User:
    """The signed-in user; views that write require authentication before they get here."""
    return cast(User, request.user)


def _membership(request: Request, slug: str, membership_id: int) -> Membership:
    """A membership of a cooperative the caller may see, for the member panel (else 404)."""
    cooperative = selectors.cooperative_get_visible(request.user, slug)
    return selectors.membership_get(
        user=request.user, cooperative=cooperative, membership_id=membership_id
    )


def _profile_serializer(request: Request, cooperative: Cooperative) -> CooperativeSerializer:
    cls = (
        CooperativePrivateSerializer
        if rules.can_view_private_data(request.user, cooperative)
        else CooperativeSerializer
    )
    return cls(cooperative, context={"request": request})


class CooperativeListView(generics.ListAPIView):
    counts_uploads = True  # files count toward the upload rates (core.uploads)
    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.cooperative_list_visible_to(self.request.user).order_by("name", "id")

    @extend_schema(
        request=CooperativeWriteSerializer,
        responses={201: CooperativePrivateSerializer, **refusals(400, 401), 403: UNAUTHENTICATED},
    )
    def post(self, request: Request) -> Response:
        data = validated(CooperativeWriteSerializer, request.data)
        cooperative = services.cooperative_create(actor=_actor(request), **data)  # type: ignore[arg-type]
        return Response(
            CooperativePrivateSerializer(cooperative, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CooperativeDetailView(APIView):
    counts_uploads = True  # files count toward the upload rates (core.uploads)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        responses={
            200: OpenApiResponse(
                # Both components are registered by the other operations that answer them.
                {
                    "anyOf": [
                        {"$ref": "#/components/schemas/CooperativePrivate"},
                        {"$ref": "#/components/schemas/Cooperative"},
                    ]
                },
                description="The public profile; members and moderators also get `tax_id` "
                "and `address`.",
            ),
            404: NOT_FOUND,
        }
    )
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        return Response(_profile_serializer(request, cooperative).data)

    @extend_schema(
        request=CooperativeWriteSerializer(partial=True),
        responses={200: CooperativePrivateSerializer, **refusals(400, 403, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        data = CooperativeWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("slug", None)
        cooperative = services.cooperative_update(
            cooperative=cooperative,
            actor=_actor(request),
            **changes,  # type: ignore[arg-type]
        )
        return Response(_profile_serializer(request, cooperative).data)


class MemberListView(generics.GenericAPIView):
    # Generic for its pagination, like every list of the API (count, next, previous, results);
    # the rows come from the selector, `queryset` only names the model for the schema.
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MemberSerializer
    queryset = Membership.objects.none()

    @extend_schema(responses={200: MemberSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        members = selectors.membership_list(user=request.user, cooperative=cooperative)
        page = self.paginate_queryset(members)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer, **refusals(400, 403, 404)},
        description="Invite a person by e-mail; they join when they accept the invitation.",
    )
    def post(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        if not rules.can_view_private_data(request.user, cooperative):
            raise Http404("No cooperative with this slug.")
        data = validated(InvitationInputSerializer, request.data)
        invitation = services.invitation_create(
            cooperative=cooperative,
            actor=_actor(request),
            **data,  # type: ignore[arg-type]
        )
        return Response(
            InvitationSerializer(invitation, context={"can_manage": True}).data,
            status=status.HTTP_201_CREATED,
        )


class MemberDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=MemberRoleSerializer,
        responses={200: MemberSerializer, **refusals(400, 403, 404, 409)},
    )
    def patch(self, request: Request, slug: str, membership_id: int) -> Response:
        membership = _membership(request, slug, membership_id)
        data = validated(MemberRoleSerializer, request.data)
        membership = services.membership_change_role(
            membership=membership,
            role=data["role"],
            actor=_actor(request),
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None, **refusals(403, 404, 409)})
    def delete(self, request: Request, slug: str, membership_id: int) -> Response:
        membership = _membership(request, slug, membership_id)
        services.membership_remove(membership=membership, actor=_actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()  # names the model for the schema (see MemberListView)

    @extend_schema(responses={200: InvitationSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        invitations = selectors.invitation_list_open(user=request.user, cooperative=cooperative)
        context = {"can_manage": rules.can_manage_cooperative(request.user, cooperative)}
        page = self.paginate_queryset(invitations)
        data = self.get_serializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


class InvitationDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None, **refusals(403, 404)})
    def delete(self, request: Request, slug: str, invitation_id: int) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        invitation = selectors.invitation_get_open(
            user=request.user, cooperative=cooperative, invitation_id=invitation_id
        )
        services.invitation_revoke(invitation=invitation, actor=_actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={201: MemberSerializer, **refusals(403, 409, 401)},
    )
    def post(self, request: Request, token: str) -> Response:
        membership = services.invitation_accept(token=token, actor=_actor(request))
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class VerificationView(APIView):
    counts_uploads = True  # files count toward the upload rates (core.uploads)
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]  # files: a urlencoded form cannot carry them (415)

    @extend_schema(responses={200: VerificationRequestSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        requests = selectors.verification_request_list(user=request.user, cooperative=cooperative)
        return Response(VerificationRequestSerializer(requests, many=True).data)

    @extend_schema(
        request=VerificationInputSerializer,
        responses={201: VerificationRequestSerializer, **refusals(400, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        if not rules.can_view_private_data(request.user, cooperative):
            raise Http404("No cooperative with this slug.")
        data = VerificationInputSerializer(
            data={
                "documents": request.FILES.getlist("documents")
                or request.FILES.getlist("document"),
                "note": request.data.get("note", ""),  # type: ignore[union-attr]
            }
        )
        data.is_valid(raise_exception=True)
        verification = services.verification_request_submit(
            cooperative=cooperative,
            actor=_actor(request),
            documents=data.validated_data["documents"],
            note=data.validated_data.get("note", ""),
        )
        return Response(
            VerificationRequestSerializer(verification).data, status=status.HTTP_201_CREATED
        )


class VerificationDocumentView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
            302: OpenApiResponse(
                description="With object storage (docs/deployment.md): a redirect to the "
                "document at a signed URL that works for a few minutes."
            ),
            404: NOT_FOUND,
        },
        description="The document as it was uploaded (a PDF or a JPEG, PNG or WebP image), as an "
        "attachment; with object storage, a redirect to it.",
    )
    def get(self, request: Request, slug: str, document_id: int) -> HttpResponseBase:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        document = selectors.verification_document_get(
            user=request.user, cooperative=cooperative, document_id=document_id
        )
        if isinstance(document.file.storage, SignedS3Storage):
            return signed_redirect(
                cast(SignedS3Storage, document.file.storage),
                str(document.file.name),
                content_type=document.content_type,
                download_name=document.original_name,
            )
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("This document's file is missing; ask for it again.") from exc
        response = FileResponse(
            handle,
            content_type=document.content_type,
            as_attachment=True,
            filename=document.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _payout_details(request: Request, cooperative: Cooperative) -> PayoutDetails:
    stored = selectors.payout_details_get(user=request.user, cooperative=cooperative)
    return stored or PayoutDetails(cooperative=cooperative, country=cooperative.country)


class PayoutDetailsView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        responses={200: PayoutDetailsSerializer, 404: NOT_FOUND},
        description="Where buyers pay the cooperative's invoices: bank account or instant-payment "
        "key by the rules of its country (see `scheme`). Members and moderators; `is_set` is "
        "false until an owner or admin enters them.",
    )
    def get(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        return Response(PayoutDetailsSerializer(_payout_details(request, cooperative)).data)

    @extend_schema(
        request=PayoutDetailsSerializer,
        responses={200: PayoutDetailsSerializer, **refusals(400, 403, 404)},
        description="Owners and admins change the details (any subset; checked whole: CBU/CVU "
        "check digits, alias, PIX key by type, IBAN mod-97, BIC). 400 names each refused field.",
    )
    def patch(self, request: Request, slug: str) -> Response:
        cooperative = selectors.cooperative_get_visible(request.user, slug)
        current = _payout_details(request, cooperative)
        if not rules.can_edit_payout_details(request.user, cooperative):
            # Refused before the body is judged: a member gets 403, not a list of field errors.
            raise NotPermitted(services.PAYOUT_EDIT_REFUSAL)
        data = PayoutDetailsSerializer(
            current, data=request.data, partial=True, context={"country": cooperative.country}
        )
        data.is_valid(raise_exception=True)
        details = services.payout_details_update(
            cooperative=cooperative, actor=_actor(request), **data.validated_data
        )
        return Response(PayoutDetailsSerializer(details).data)
