from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from core.api.responses import refusals
from core.api.serializers import ErrorSerializer
from core.api.views import ActionView
from orders.api.views.common import cooperative_named
from orders.payments import gateway
from orders.payments.services import seller_onboarding_link
from orders.payments.webhooks import handle_event


class OnboardingLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="A single-use Stripe page; it expires within minutes.")


class WebhookReceivedSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    event = serializers.CharField()
    outcome = serializers.CharField()


UNAVAILABLE = OpenApiResponse(
    ErrorSerializer, description="Stripe could not be reached: try again in a moment."
)


class StripeOnboardingView(ActionView):
    serializer_class = OnboardingLinkSerializer
    errors = {
        **refusals(401, 403, 404),
        409: OpenApiResponse(
            ErrorSerializer,
            description="Card payments are not configured here (`payments_not_configured`), "
            "the cooperative's country has no Stripe Connect accounts "
            "(`card_payouts_unsupported_country`), or Stripe refused.",
        ),
        503: UNAVAILABLE,
    }
    description = (
        "Set up card payouts: creates the cooperative's Stripe Express account (once) "
        "and answers a fresh onboarding link. Owners and admins. Until Stripe enables payouts the "
        "cooperative still sells by invoice, and card checkouts leave it out."
    )

    def target(self) -> Cooperative:
        return cooperative_named(self.kwargs["slug"])

    def act(self, cooperative: Cooperative, data: dict[str, Any]) -> dict[str, str]:
        # Stripe sends the seller back to the address this request reached (its host is one of
        # ALLOWED_HOSTS, or Django refused the request), not to SITE_URL.
        url = seller_onboarding_link(
            cooperative=cooperative,
            actor=self.request.user,
            base_url=self.request.build_absolute_uri("/"),
        )
        return {"url": url}


class StripeWebhookView(APIView):
    """Stripe's events: signature checked on the raw body, each event applied once."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter(
                "Stripe-Signature",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                required=True,
                description="Stripe's signature of the raw body (`t=…,v1=…`).",
            )
        ],
        responses={
            200: WebhookReceivedSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Missing, forged or stale signature: nothing done."
            ),
            503: OpenApiResponse(
                ErrorSerializer,
                description="Not applied now (Stripe unreachable, or the checkout is not "
                "committed yet): Stripe delivers it again later.",
            ),
        },
        auth=[],
        description="Stripe webhook endpoint (platform and Connect events). A redelivered event "
        "answers 200 and does nothing.",
    )
    def post(self, request: Request) -> Response:
        # The raw body, exactly as signed: never parsed by DRF before the check.
        event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature"))
        result = handle_event(event)
        return Response({"received": True, "event": result.event_id, "outcome": result.outcome})
