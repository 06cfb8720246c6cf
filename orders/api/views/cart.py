from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.responses import CONFLICT, INVALID, NOT_FOUND, THROTTLED, refusals
from core.api.serializers import validated
from orders import payments, selectors, services
from orders.api.serializers import (
    CartItemInputSerializer,
    CartItemUpdateSerializer,
    CartLineSerializer,
    CartQuerySerializer,
    CartSerializer,
    CheckoutConflictSerializer,
    CheckoutInputSerializer,
    CheckoutSerializer,
    checkout_input,
    placed_checkout_data,
)
from orders.api.views.common import IDEMPOTENCY_KEY, OrderingView, member_cooperative
from orders.services import CheckoutConflict


class CartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[CartQuerySerializer],
        responses={200: CartSerializer, **refusals(400, 401, 404)},
        description="The buyer cooperative's cart, grouped by seller, with totals per currency. "
        "Lines whose listing went away or changed price are flagged.",
    )
    def get(self, request: Request) -> Response:
        query = validated(CartQuerySerializer, request.query_params)
        cooperative = member_cooperative(request.user, query["cooperative"])
        summary = selectors.cart_summary(user=request.user, cooperative=cooperative)
        return Response(CartSerializer(summary).data)


class CartItemListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CartItemInputSerializer,
        responses={
            200: OpenApiResponse(CartLineSerializer, description="Added to an existing line."),
            201: CartLineSerializer,
            **refusals(400, 401, 404, 409),
        },
        description="Add a listing to the cart; adding it again adds to the line's quantity. "
        "Any member of the buyer cooperative may fill its cart.",
    )
    def post(self, request: Request) -> Response:
        data = validated(CartItemInputSerializer, request.data)
        cooperative = member_cooperative(request.user, data["cooperative"])
        line, created = services.cart_add_item(
            cooperative=cooperative,
            listing_id=data["listing"],
            quantity=data["quantity"],
            actor=request.user,
        )
        return Response(
            CartLineSerializer(selectors.cart_line_view(line)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CartItemDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CartItemUpdateSerializer,
        responses={200: CartLineSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
        description="Change the quantity, or accept the listing's current price with "
        "`confirm_price: true`.",
    )
    def patch(self, request: Request, pk: int) -> Response:
        line = selectors.cart_line_get(user=request.user, line_id=pk)
        data = validated(CartItemUpdateSerializer, request.data)
        services.cart_update_item(
            line=line,
            actor=request.user,
            quantity=data.get("quantity"),
            confirm_price=data["confirm_price"],
        )
        line = selectors.cart_line_get(user=request.user, line_id=pk)
        return Response(CartLineSerializer(selectors.cart_line_view(line)).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, pk: int) -> Response:
        line = selectors.cart_line_get(user=request.user, line_id=pk)
        services.cart_remove_item(line=line, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckoutView(OrderingView):
    @extend_schema(
        request=CheckoutInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: CheckoutSerializer,
            200: OpenApiResponse(CheckoutSerializer, description="A retry: the first result."),
            **refusals(400, 401, 403, 404),
            409: OpenApiResponse(
                CheckoutConflictSerializer,
                description="The cart cannot be ordered as it is; `lines` says which and why.",
            ),
            422: OpenApiResponse(
                CheckoutConflictSerializer,
                description="The Idempotency-Key was used for a different request.",
            ),
            429: THROTTLED,
            503: OpenApiResponse(
                CheckoutConflictSerializer,
                description="Card checkout: the orders are placed but Stripe could not be "
                "reached for the payment; send the same request with the same Idempotency-Key.",
            ),
        },
        description="Order the cart's lines in one currency: one order per seller; or, with "
        "`lines`, exactly those listings in one request, leaving the cart alone. Only owners "
        "and admins of the buyer cooperative check out. With `stripe`, `payment` carries what "
        "Stripe.js needs; the orders wait in `placed` with payment `pending` until Stripe says "
        "the payment succeeded.",
    )
    def post(self, request: Request) -> Response:
        values = checkout_input(request.data)
        buyer = member_cooperative(request.user, values.pop("cooperative"))
        if "lines" in values:
            values["lines"] = [services.RequestedLine(**line) for line in values["lines"]]
        if "credit" in values:
            values["credit"] = {row["seller"]: row["credit_amount"] for row in values["credit"]}
        try:
            result = services.checkout_place(
                buyer=buyer,
                actor=request.user,
                idempotency_key=self.idempotency_key(),
                **values,
            )
        except CheckoutConflict as exc:
            return Response(exc.body(), status=exc.status_code)
        payment = payments.payment_payload(result.checkout)
        body: dict[str, Any]
        if result.is_replay:
            body = CheckoutSerializer(
                result.checkout, context={"request": request, "payment": payment}
            ).data
        else:  # the orders as they were written
            body = placed_checkout_data(result.checkout, request=request, payment=payment)
        return self.placed(body, is_replay=result.is_replay)
