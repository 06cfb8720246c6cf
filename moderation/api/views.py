"""Thin views: validate, authorise, call one service or selector, serialise."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get_visible
from core.api.filters import FilterBackend
from core.api.responses import NOT_FOUND, UNAUTHENTICATED, WRITE_REFUSALS, error, refusals
from core.api.serializers import validated
from core.api.views import DescribedListView, ListCreateView
from marketplace.models import Listing
from moderation import selectors, services
from moderation.api.filters import ModerationActionFilter
from moderation.api.serializers import (
    AppealInputSerializer,
    AppealQueueQuerySerializer,
    AppealResolveInputSerializer,
    AppealSerializer,
    CooperativeQuerySerializer,
    DecisionSerializer,
    ModerationActionSerializer,
    ModeratorAppealSerializer,
    ReasonInputSerializer,
    ReasonRequiredInputSerializer,
    ReportCreatedSerializer,
    ReportGroupSerializer,
    ReportInputSerializer,
    ReportQueueQuerySerializer,
    ReportResolveInputSerializer,
    ReportSerializer,
    ReviewQueueListingSerializer,
    ReviewQueueQuerySerializer,
    VerificationQueueQuerySerializer,
    VerificationQueueSerializer,
)
from moderation.models import ModerationAction
from moderation.permissions import IsModerator

FORBIDDEN = error("Not a moderator, or a conflict of interest.")
THROTTLED = error("Too many reports; try again later.")
MODERATOR_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN}
DECISION_ERRORS = {**WRITE_REFUSALS, 403: FORBIDDEN}  # with the moderators' own 403


class ModeratorListView(DescribedListView):
    """A moderators' list; its serializer knows where the moderator has a conflict of interest."""

    permission_classes = [IsModerator]
    errors = MODERATOR_ERRORS

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["conflicts"] = selectors.cooperative_ids_of(self.request.user)
        return context


class StatusQueueView(ModeratorListView):
    """A moderators' queue of the items in the status the query asks for (`query_class`)."""

    queue: Callable[..., QuerySet[Any]]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).queue(status=self.query()["status"])


# Listings -----------------------------------------------------------------------------------


class ReviewQueueView(ModeratorListView):
    serializer_class = ReviewQueueListingSerializer
    query_class = ReviewQueueQuerySerializer
    description = (
        "Listings awaiting review, oldest first, with the seller's verification status "
        "and the decisions taken on them before."
    )

    def get_queryset(self) -> QuerySet[Any]:
        query = validated(ReviewQueueQuerySerializer, self.request.query_params)
        queryset = selectors.listing_review_queue(status=query["status"])
        if query.get("cooperative"):
            queryset = queryset.filter(cooperative__slug=query["cooperative"])
        return queryset


class DecisionView(APIView):
    """One decision (`decision`, set per URL) on what `find` finds by the URL's one key; the
    decision is logged and the cooperative e-mailed by `services.decide`."""

    permission_classes = [IsModerator]
    decision = ""
    find: Callable[[Any], Listing | Cooperative]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        """Reject and suspend need a reason; the schema documents each decision's own body."""
        if self.decision in services.REASON_REQUIRED:
            return ReasonRequiredInputSerializer
        return ReasonInputSerializer

    def post(self, request: Request, **key: Any) -> Response:
        (value,) = key.values()
        target = type(self).find(value)
        data = validated(self.get_serializer_class(), request.data)
        action = services.decide(
            target=target,
            decision=self.decision,
            actor=request.user,  # type: ignore[arg-type]
            reason=data.get("reason", ""),
        )
        return Response(ModerationActionSerializer(action).data)


def _decides_on(
    find: Callable[[Any], Listing | Cooperative], description: str
) -> Callable[[type[DecisionView]], type[DecisionView]]:
    """A decision view: what it decides on (`find`, by the URL's one key) and its description."""

    def declare(view: type[DecisionView]) -> type[DecisionView]:
        view.find = staticmethod(find)  # type: ignore[assignment]
        return extend_schema(
            responses={200: ModerationActionSerializer, **DECISION_ERRORS},
            description=description,
        )(view)

    return declare


@_decides_on(
    selectors.listing_get_for_moderation,
    "Decide on a listing; the decision is logged and its cooperative e-mailed. "
    "reject and suspend need a reason.",
)
class ListingDecisionView(DecisionView):
    """A moderator's decision on a listing (`decision` per URL)."""


# Cooperatives -------------------------------------------------------------------------------


@_decides_on(
    selectors.cooperative_get_for_moderation,
    "Decide on a cooperative; the decision is logged and its owners and admins "
    "e-mailed. reject and suspend need a reason.",
)
class CooperativeDecisionView(DecisionView):
    """A moderator's decision on a cooperative (`decision` per URL)."""


class VerificationQueueView(StatusQueueView):
    serializer_class = VerificationQueueSerializer
    query_class = VerificationQueueQuerySerializer
    description = "Verification requests, oldest first, with their documents."
    queue = staticmethod(selectors.verification_request_queue)


# Reports ------------------------------------------------------------------------------------


class ReportCreateView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "reports"

    @extend_schema(
        request=ReportInputSerializer,
        responses={201: ReportCreatedSerializer, **refusals(400, 401), 429: THROTTLED},
        description="Report a published listing or a cooperative to the moderators.",
    )
    def post(self, request: Request) -> Response:
        data = validated(ReportInputSerializer, request.data)
        report = services.report_create(actor=request.user, **data)  # type: ignore[arg-type]
        return Response(ReportCreatedSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportQueueView(ModeratorListView):
    serializer_class = ReportGroupSerializer
    query_class = ReportQueueQuerySerializer
    description = "Reports grouped by reported item, the most reported first."

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = validated(ReportQueueQuerySerializer, request.query_params)
        keys = self.paginate_queryset(selectors.report_group_keys(status=query["status"]))
        groups = selectors.report_groups(list(keys or []), status=query["status"])
        return self.get_paginated_response(self.get_serializer(groups, many=True).data)


class ResolveView(APIView):
    """A moderator closes one report or appeal, found by the URL's one key (`find`, 404 before the
    body is read), with the outcome its body names (`input_class`); `resolve` asks the service and
    says what to answer."""

    permission_classes = [IsModerator]
    find: Callable[[int], Any]
    input_class: type[serializers.Serializer]

    def post(self, request: Request, **key: int) -> Response:
        (value,) = key.values()
        found = type(self).find(value)
        return Response(self.resolve(found, validated(self.input_class, request.data)))

    @property
    def moderator(self) -> User:
        return self.request.user  # type: ignore[return-value]  # IsModerator: signed in

    def resolve(self, found: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


@extend_schema(
    request=ReportResolveInputSerializer,
    responses={200: ReportSerializer(many=True), **DECISION_ERRORS},
    description="Resolve a report and every other open report on the same item.",
)
class ReportResolveView(ResolveView):
    find = staticmethod(selectors.report_get_for_moderation)
    input_class = ReportResolveInputSerializer

    def resolve(self, found: Any, data: dict[str, Any]) -> Any:
        reports = services.report_resolve(report=found, actor=self.moderator, **data)
        return ReportSerializer(reports, many=True).data


# The log ------------------------------------------------------------------------------------


class ActionListView(ModeratorListView):
    serializer_class = ModerationActionSerializer
    description = "The append-only log of moderation actions, newest first."
    filter_backends = [FilterBackend]
    filterset_class = ModerationActionFilter

    def get_queryset(self) -> QuerySet[ModerationAction]:
        return selectors.action_list()


class ActionDetailView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses={200: ModerationActionSerializer, **MODERATOR_ERRORS, 404: NOT_FOUND})
    def get(self, request: Request, action_id: int) -> Response:
        return Response(ModerationActionSerializer(selectors.action_get(action_id)).data)


# Appeals and decisions ----------------------------------------------------------------------


def _followed_cooperative(request: Request) -> Cooperative | None:
    slug = validated(CooperativeQuerySerializer, request.query_params).get("cooperative")
    return cooperative_get_visible(request.user, slug) if slug else None


class MemberListView(DescribedListView):
    """A list of what concerns the person's cooperatives, or one of them (`?cooperative=`)."""

    permission_classes = [IsAuthenticated]
    query_class = CooperativeQuerySerializer
    errors = refusals(401, 404)
    list_for: Callable[[Any, Cooperative | None], QuerySet[Any]]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).list_for(self.request.user, _followed_cooperative(self.request))


class AppealListCreateView(MemberListView, ListCreateView):
    serializer_class = AppealSerializer
    description = "Your cooperatives' appeals and their outcomes, newest first."
    list_for = staticmethod(selectors.appeal_list_for_member)
    input_class = AppealInputSerializer
    create_errors = DECISION_ERRORS
    create_description = (
        "Appeal a rejection or suspension, once, as an owner or admin of the cooperative concerned."
    )

    def create(self, data: dict[str, Any]) -> Any:
        return services.appeal_file(
            decision=selectors.action_get(data["action"]),
            actor=self.request.user,  # type: ignore[arg-type]
            statement=data["statement"],
        )


class DecisionListView(MemberListView):
    serializer_class = DecisionSerializer
    description = (
        "Decisions about your cooperatives and their listings, newest first, and "
        "whether each can still be appealed."
    )
    list_for = staticmethod(selectors.decision_list_for_cooperative)


class AppealQueueView(StatusQueueView):
    serializer_class = ModeratorAppealSerializer
    query_class = AppealQueueQuerySerializer
    description = "Appeals, oldest first; open ones by default."
    queue = staticmethod(selectors.appeal_queue)


@extend_schema(
    request=AppealResolveInputSerializer,
    responses={200: ModeratorAppealSerializer, **DECISION_ERRORS},
    description="Uphold or overturn an appeal; overturning reverses the decision. Not by the "
    "moderator who decided.",
)
class AppealResolveView(ResolveView):
    find = staticmethod(selectors.appeal_get_for_moderation)
    input_class = AppealResolveInputSerializer

    def resolve(self, found: Any, data: dict[str, Any]) -> Any:
        appeal = services.appeal_resolve(appeal=found, actor=self.moderator, **data)
        appeal = selectors.appeal_get_for_moderation(appeal.pk)
        context = {
            "request": self.request,
            "conflicts": selectors.cooperative_ids_of(self.moderator),
        }
        return ModeratorAppealSerializer(appeal, context=context).data
