"""What a checkout costs the database: a fixed number of queries whatever the number of lines and
sellers in the cart (docs/orders.md, "Checkout cost"), and a response written from what was
stored without reading it back, which must equal what reading it back gives."""

import json
from typing import Any
from unittest.mock import ANY

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from core import tasks as core_tasks
from core.api.serializers import FIELDS_BUILT_ONCE
from core.models import EmailFailure
from orders import tasks
from orders.api.serializers import CheckoutSerializer, OrderDetailSerializer
from orders.models import CartLine, Checkout, Order
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import add_to_cart, checkout, place_order, send_queued_order_emails

pytestmark = pytest.mark.django_db

# The buyer cooperative with the person's role; in the transaction: the cart lock, the key, the
# lines, the listings' lock (with the person's roles in the sellers, for the orders' actions,
# and whether the buyer has an agreement with each: the agreements themselves, issue #19, are
# read only then), the checkout, the stock, the orders, their lines, their events, the cart
# lines; after commit, the catalogue version's bump (the e-mails' recipients are read by the
# worker, which gets the orders' ids). A savepoint and its release stand for BEGIN and COMMIT
# (a token's authentication is cached). Raise it only with a reason in docs/orders.md.
CHECKOUT_QUERIES = 14


def fill_cart(buyer: Any, user: Any, *, sellers: int, lines_per_seller: int) -> None:
    for _ in range(sellers):
        seller = CooperativeFactory()
        MembershipFactory(cooperative=seller, role="owner")
        MembershipFactory(cooperative=seller, role="member")
        for _ in range(lines_per_seller):
            listing = ListingFactory(cooperative=seller, currency="EUR", stock=50)
            assert add_to_cart(user, buyer, listing, 2).status_code == 201


def test_a_checkout_costs_the_same_queries_whatever_its_size(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks, order_emails_queued
):
    counts = {}
    for sellers, lines_per_seller in [(1, 1), (3, 2), (6, 3)]:
        fill_cart(buyer_coop, buyer_owner, sellers=sellers, lines_per_seller=lines_per_seller)
        mail.outbox.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = checkout(buyer_owner, buyer_coop)

        assert response.status_code == 201, response.content
        orders = response.json()["orders"]
        assert len(orders) == sellers
        assert all(len(order["lines"]) == lines_per_seller for order in orders)
        # The request queued the orders' ids; the worker's run e-mails each seller's two
        # members and the buyer's owner about each order.
        assert order_emails_queued == [(([order["id"] for order in orders],), ANY)]
        send_queued_order_emails(order_emails_queued)
        assert len(mail.outbox) == sellers * 3
        counts[sellers * lines_per_seller] = len(queries)

    assert len(set(counts.values())) == 1, f"queries by number of lines: {counts}"
    assert counts[1] <= CHECKOUT_QUERIES, counts


def test_the_checkout_response_is_what_reading_the_orders_back_gives(buyer_coop, buyer_owner):
    fill_cart(buyer_coop, buyer_owner, sellers=2, lines_per_seller=2)

    body = checkout(buyer_owner, buyer_coop, note="Por la mañana").json()

    client = client_for(buyer_owner)
    assert [order["id"] for order in body["orders"]] == sorted(o["id"] for o in body["orders"])
    for order in body["orders"]:
        assert order == client.get(f"/api/v1/orders/{order['id']}/").json()
        assert order["actions"] == ["cancel", "order_again"]


def test_the_checkout_answer_is_what_the_checkout_serializer_writes(
    buyer_coop, buyer_owner, seller_owner
):
    """A new checkout's answer is written straight from the rows it wrote
    (`placed_checkout_data`), not by the serializers: it must be what `CheckoutSerializer`
    writes for the same checkout read back, field for field and in the same order, for the cart
    and for `lines`, and the same again when the request is retried."""
    fill_cart(buyer_coop, buyer_owner, sellers=2, lines_per_seller=2)
    from_cart = checkout(buyer_owner, buyer_coop, key="cart", note="Por la mañana")
    seller = CooperativeFactory(country="UY")
    listing = ListingFactory(cooperative=seller, currency="EUR", stock=5, unit="kg")
    lines = [{"listing": listing.pk, "quantity": 3}]
    with_lines = checkout(
        buyer_owner, buyer_coop, key="lines", lines=lines, delivery_address="Calle 1"
    )

    request = RequestFactory().post("/api/v1/checkout/")
    request.user = buyer_owner
    for response, key in ((from_cart, "cart"), (with_lines, "lines")):
        assert response.status_code == 201, response.content
        read_back = Checkout.objects.get(pk=response.json()["id"])
        written = CheckoutSerializer(read_back, context={"request": request, "payment": None})
        assert json.loads(JSONRenderer().render(written.data)) == response.json()
        assert list(response.json()) == list(written.data)
        for order, as_written in zip(
            response.json()["orders"], written.data["orders"], strict=True
        ):
            assert list(order) == list(as_written)
            assert [list(event) for event in order["events"]] == [
                list(event) for event in as_written["events"]
            ]
        replay = (
            checkout(buyer_owner, buyer_coop, key="cart", note="Por la mañana")
            if key == "cart"
            else checkout(
                buyer_owner, buyer_coop, key="lines", lines=lines, delivery_address="Calle 1"
            )
        )
        assert (replay.status_code, replay.json()) == (200, response.json())
    assert with_lines.json()["orders"][0]["seller"]["country"] == "UY"
    assert with_lines.json()["orders"][0]["lines"][0]["quantity"] == 3


# The buyer cooperative with the person's role, the listing with its seller, the cart lock, the
# cart's lines counted (and the listing's line found), the new line; a savepoint and its release.
ADD_TO_CART_QUERIES = 7


def test_adding_to_the_cart_costs_the_same_queries_whatever_the_cart_holds(
    buyer_coop, buyer_owner, django_assert_num_queries
):
    fill_cart(buyer_coop, buyer_owner, sellers=3, lines_per_seller=3)
    listing = ListingFactory(currency="EUR", stock=5)

    with django_assert_num_queries(ADD_TO_CART_QUERIES):
        response = add_to_cart(buyer_owner, buyer_coop, listing, 2)

    assert response.status_code == 201
    assert response.json()["quantity"] == 2
    assert response.json()["seller"] == listing.cooperative.slug
    # Again: the line grows, and the answer says so.
    response = add_to_cart(buyer_owner, buyer_coop, listing, 3)
    assert (response.status_code, response.json()["quantity"]) == (200, 5)
    assert response.json()["line_total_amount"] == 5 * listing.price_amount
    assert CartLine.objects.get(listing=listing).quantity == 5


def test_a_full_cart_takes_more_of_its_listings_but_no_new_one(
    buyer_coop, buyer_owner, monkeypatch
):
    monkeypatch.setattr("orders.services.cart.MAX_CART_LINES", 3)
    fill_cart(buyer_coop, buyer_owner, sellers=1, lines_per_seller=3)
    line = CartLine.objects.first()
    assert line is not None

    response = add_to_cart(buyer_owner, buyer_coop, ListingFactory(currency="EUR"), 1)
    assert (response.status_code, response.json()["code"]) == (409, "cart_full")
    assert add_to_cart(buyer_owner, buyer_coop, line.listing, 1).status_code == 200


def test_serializers_made_together_keep_each_reader_s_own_actions(
    buyer_coop, buyer_owner, seller_owner, listing
):
    """The order serializers' fields are built once per class and copied for each serializer
    (core.api.serializers.FieldsBuiltOnce): two made at once, for the buyer and for the seller,
    must not share a field, or one would answer with the other's request."""
    order_id = place_order(buyer_owner, buyer_coop, listing)["id"]
    order = Order.objects.get(pk=order_id)
    factory = RequestFactory()
    as_buyer, as_seller = factory.get("/"), factory.get("/")
    as_buyer.user, as_seller.user = buyer_owner, seller_owner

    for_buyer = OrderDetailSerializer(order, context={"request": as_buyer})
    for_seller = OrderDetailSerializer(order, context={"request": as_seller})
    fields_of = (for_buyer.fields, for_seller.fields)  # both bound before either is read

    assert for_seller.data["actions"] == ["accept", "decline"]
    assert for_buyer.data["actions"] == ["cancel", "order_again"]
    assert fields_of[0]["lines"] is not fields_of[1]["lines"]


def test_each_serializer_binds_copies_and_the_fields_built_for_the_class_stay_unbound(
    buyer_coop, buyer_owner, seller_owner, listing
):
    """A field holding no other field is copied from the one built for the class without being
    made again: each serializer's copy is its own and bound to it, and the built field, which
    every later copy starts from, is never bound (its name and parent stay unset)."""
    order = Order.objects.get(pk=place_order(buyer_owner, buyer_coop, listing)["id"])
    request = RequestFactory().get("/")
    request.user = buyer_owner
    first = OrderDetailSerializer(order, context={"request": request})
    second = OrderDetailSerializer(order, context={"request": request})
    assert first.data == second.data

    built = FIELDS_BUILT_ONCE[OrderDetailSerializer]
    assert built and all(field.parent is None for field in built.values())
    assert all(field.field_name is None for field in built.values())
    for name in built:
        assert len({id(first.fields[name]), id(second.fields[name]), id(built[name])}) == 3
        assert (first.fields[name].parent, second.fields[name].parent) == (first, second)
        assert first.fields[name].field_name == name


def test_the_request_queues_only_ids_and_the_worker_mails_each_order_once(
    buyer_coop,
    buyer_owner,
    seller_owner,
    listing,
    django_capture_on_commit_callbacks,
    order_emails_queued,
):
    """The order e-mails are composed by the worker from the orders' ids (no recipients read or
    message composed in the checkout's request); a task delivered again sends nothing more."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(buyer_owner, buyer_coop, listing)
    assert mail.outbox == []
    ((args, kwargs),) = order_emails_queued
    assert args == ([order["id"]],)
    assert kwargs["batch"] and (kwargs["tell_seller"], kwargs["tell_buyer"]) == (True, True)

    tasks.send_orders_placed(*args, **kwargs)
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2  # the seller's owner and the buyer's owner
    assert f"New order #{order['id']} from {buyer_coop.name}" in subjects
    tasks.send_orders_placed(*args, **kwargs)  # redelivered: the batch was sent
    assert len(mail.outbox) == 2


def test_with_the_broker_down_the_order_emails_are_recorded_as_not_sent(
    buyer_coop, buyer_owner, seller_owner, listing, django_capture_on_commit_callbacks, monkeypatch
):
    """The request cannot hand the ids to the worker: it composes the e-mails itself, and
    `core.email` records each one admins must see (as for any e-mail the broker refused)."""

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_orders_placed, "apply_async", broker_down)
    monkeypatch.setattr(core_tasks.send_emails, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(buyer_owner, buyer_coop, listing)

    assert Order.objects.filter(pk=order["id"]).exists()
    assert mail.outbox == []
    assert sorted(EmailFailure.objects.values_list("recipient", flat=True)) == sorted(
        [seller_owner.email, buyer_owner.email]
    )


def test_a_serializer_field_the_checkout_answer_does_not_write_is_refused():
    """`placed_checkout_data` writes each serializer's `Meta.fields`: a field added to one of
    them without a way to write it (or a written one that is gone) stops the module loading."""
    from django.core.exceptions import ImproperlyConfigured

    from orders.api import serializers

    class WithNewField(serializers.CheckoutSerializer):
        class Meta(serializers.CheckoutSerializer.Meta):
            fields = [*serializers.CheckoutSerializer.Meta.fields, "buyer"]

    columns = dict(zip(serializers._CHECKOUT.columns, serializers._CHECKOUT.columns, strict=True))
    computed = set(serializers._CHECKOUT.fields) - set(columns)
    assert serializers._written(serializers.CheckoutSerializer, columns, computed).fields == list(
        serializers.CheckoutSerializer.Meta.fields
    )
    with pytest.raises(ImproperlyConfigured, match=r"\['buyer'\] unwritten"):
        serializers._written(WithNewField, columns, computed)
    with pytest.raises(ImproperlyConfigured, match=r"no \['gone'\]"):
        serializers._written(serializers.CheckoutSerializer, columns, computed | {"gone"})
