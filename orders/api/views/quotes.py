"""The two quotes actions that make orders (orders sit above quotes): awarding a request and
confirming a standing order's draft. Visibility comes from `quotes.selectors` (404 otherwise)."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.responses import THROTTLED, WRITE_REFUSALS
from orders import selectors, services
from orders.api.serializers import OrderSummarySerializer
from orders.api.views.common import IDEMPOTENCY_KEY, OrderingView
from orders.models import Order
from quotes import selectors as quotes
from quotes.api.serializers import AwardInputSerializer
from quotes.api.views import DraftAction


def _visible(request: Request, orders: list[Order]) -> Any:
    """The orders an action made, as the caller sees them."""
    return selectors.order_list_by_ids(user=request.user, order_ids=[o.pk for o in orders])


class RfqAwardView(OrderingView):
    @extend_schema(
        request=AwardInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: OrderSummarySerializer(many=True),
            200: OpenApiResponse(
                OrderSummarySerializer(many=True), description="A retry: the same orders."
            ),
            **WRITE_REFUSALS,
            422: OpenApiResponse(description="The Idempotency-Key was used for another request."),
            429: THROTTLED,
        },
        description="The buyer's owner or admin awards the latest version of one quote, or "
        "splits the award across several (`quantity`: part of a one-line quote): one order per "
        "version, by invoice, at the quoted unit prices, payment terms and credit share. An "
        "older version is a 409 `quote_version_outdated`; a different award of an awarded "
        "request a 409 `rfq_already_awarded`; the same award again returns the same orders.",
    )
    def post(self, request: Request, pk: int) -> Response:
        access = quotes.rfq_get_visible(user=request.user, rfq_id=pk)
        data = AwardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        orders = services.rfq_award(
            rfq=access.rfq,
            actor=request.user,
            awards=[(a["version"], a.get("quantity")) for a in data.validated_data["awards"]],
            idempotency_key=self.idempotency_key(),
        )
        body = OrderSummarySerializer(_visible(request, orders), many=True).data
        return self.placed(body, is_replay=orders.is_replay)


class DraftConfirmView(DraftAction):
    serializer_class = OrderSummarySerializer
    many = True
    created = True
    description = (
        "The buyer confirms one period's draft: an order at the drafted (agreed) "
        "prices and the agreement's payment terms, taking the listings' stock. Once only."
    )

    def act(self, draft: Any, data: dict[str, Any]) -> Any:
        orders = services.standing_draft_confirm(draft=draft, actor=self.request.user)
        return _visible(self.request, orders)
