from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.responses import (
    NOT_FOUND,
    refusals,
)
from core.api.serializers import validated
from core.api.views import ActionView, DetailView, MessageThreadView, ObjectView
from orders import selectors, services
from orders.api.serializers import (
    AskAgainInputSerializer,
    CheckoutConflictSerializer,
    MessageInputSerializer,
    MessageSerializer,
    NoteSerializer,
    OrderDetailSerializer,
    OrderedAgainSerializer,
    OrderListQuerySerializer,
    OrderSummarySerializer,
    ReasonSerializer,
    RefundPaidOutsideSerializer,
)
from orders.api.views.common import CooperativeListView
from orders.payments.services import refund_close_paid_outside
from quotes import selectors as quotes
from quotes.api.serializers import RfqSerializer


class OrderListView(CooperativeListView):
    serializer_class = OrderSummarySerializer
    query_class = OrderListQuerySerializer
    description = (
        "Orders of one cooperative, as buyer, as seller, or both, newest first. "
        "For its members and moderators."
    )
    select = staticmethod(selectors.order_list_for_cooperative)


class OrderObject(ObjectView):
    """An order the caller may see, answered with the actions open to the caller."""

    serializer_class: type = OrderDetailSerializer

    def target(self) -> Any:
        return selectors.order_get_visible(user=self.request.user, order_id=self.kwargs["pk"])

    def answer_context(self) -> dict[str, Any]:
        return {"request": self.request}


class OrderDetailView(OrderObject, DetailView):
    description = "Lines, totals, fee, status, events and the actions open to you."


class OrderAction(OrderObject, ActionView):
    """An action on the order; the answer is the order as it is after it."""


class OrderTransitionView(OrderAction):
    """POST /orders/{id}/<action>/: one lifecycle transition (see orders/state.py)."""

    order_action = ""
    input_class = ReasonSerializer
    errors = refusals(400, 403, 404, 409)
    description = (
        "A lifecycle transition; 409 when the order's status does not allow it. "
        "Cancelling an accepted order needs a reason."
    )

    def act(self, order: Any, data: dict[str, Any]) -> None:
        services.order_transition(
            order=order, action=self.order_action, actor=self.request.user, reason=data["reason"]
        )


class OrderMarkPaidView(OrderAction):
    input_class = NoteSerializer
    errors = refusals(403, 404, 409)
    description = "The seller confirms the bank transfer for an invoiced order."

    def act(self, order: Any, data: dict[str, Any]) -> None:
        services.order_mark_paid(order=order, actor=self.request.user, note=data["note"])


class OrderRefundPaidOutsideView(OrderAction):
    input_class = RefundPaidOutsideSerializer
    errors = refusals(400, 403, 404, 409)
    description = (
        "A moderator records that the order's card refund, which Stripe could not make (refused, "
        "or failed and given up), was paid to the buyer another way (a bank transfer): the "
        "refund is closed `paid_outside` and booked, the flag cleared, the buyer e-mailed, and "
        "Minga never sends it to Stripe again. 403 for anyone else who sees the order; 409 "
        "`refund_not_failed` while the refund is still being sent (or succeeded), "
        "`refund_already_paid_outside` the second time, `no_refund_to_close` without a refund, "
        "`refund_already_given_back` when dashboard refunds already gave part of it back."
    )

    def act(self, order: Any, data: dict[str, Any]) -> None:
        refund_close_paid_outside(order=order, actor=self.request.user, **data)


class OrderAgainView(OrderAction):
    serializer_class = OrderedAgainSerializer
    errors = {
        **refusals(401, 403, 404),
        409: OpenApiResponse(
            CheckoutConflictSerializer,
            description="Nothing of the order can be ordered now (`nothing_to_order_again`); "
            "`lines` says why for each line. The buyer's suspension answers 409 too.",
        ),
    }
    description = (
        "Put the lines of an earlier order in the buyer cooperative's cart, in the same "
        "quantities, at today's prices (an agreement in force still prices them at checkout). "
        "Lines that cannot be ordered now are left out and listed in `skipped` with why. Any "
        "member of the buying cooperative may; the cart is then checked out as usual."
    )

    def act(self, order: Any, data: dict[str, Any]) -> Any:
        return services.cart_order_again(order=order, actor=self.request.user)


class OrderAskAgainView(OrderAction):
    serializer_class = RfqSerializer
    input_class = AskAgainInputSerializer
    created = True
    errors = refusals(400, 401, 403, 404, 409)
    description = (
        "Ask the seller of an order from a quote again (the order's `actions` name `ask_again`): "
        "a new request for quotes, privately to that seller, pre-filled from the order (the "
        "earlier request's title and delivery place, its specification after the order's lines, "
        "the one line's quantity and unit); send `delivery_date` and `answers_due_at`, and any "
        "other field to change. The buyer's owners and admins may. An order with catalogue lines "
        "is ordered again instead: 409 `not_from_a_quote`."
    )

    def act(self, order: Any, data: dict[str, Any]) -> Any:
        rfq = services.order_ask_again(order=order, actor=self.request.user, **data)
        return quotes.rfq_get_visible(user=self.request.user, rfq_id=rfq.pk).rfq


class MessageListView(MessageThreadView):
    serializer_class = MessageSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        order = selectors.order_get_visible(user=self.request.user, order_id=self.kwargs["pk"])
        return selectors.message_list(user=self.request.user, order=order)

    @extend_schema(
        responses={200: MessageSerializer(many=True), 404: NOT_FOUND},
        description="The order's thread, oldest first; only members of the two cooperatives.",
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: MessageSerializer, **refusals(400, 404, 429)},
        description="Write in the thread; the other cooperative's members get an e-mail.",
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.order_get_visible(user=request.user, order_id=pk)
        selectors.message_list(user=request.user, order=order)  # 404 for moderators too
        data = validated(MessageInputSerializer, request.data)
        message = services.message_post(order=order, actor=request.user, body=data["body"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
