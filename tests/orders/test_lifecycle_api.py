import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from marketplace.models import Listing
from orders import services
from orders.models import Order, OrderEvent
from tests.conftest import client_for
from tests.factories import CooperativeFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer_coop, buyer_owner, seller_owner, listing):
    return place_order(buyer_owner, buyer_coop, listing, quantity=3)


def status_of(order_id):
    return Order.objects.get(pk=order_id).status


def stock(listing):
    return Listing.objects.get(pk=listing.pk).stock


def test_the_happy_path_leaves_a_timeline(order, seller_admin, buyer_admin):
    assert act(seller_admin, order["id"], "accept").status_code == 200
    assert act(seller_admin, order["id"], "fulfil").status_code == 200
    response = act(buyer_admin, order["id"], "complete")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    timeline = [(e["action"], e["from_status"], e["to_status"]) for e in body["events"]]
    assert timeline == [
        ("place", "", "placed"),
        ("accept", "placed", "accepted"),
        ("issue_invoice", "accepted", "accepted"),
        ("fulfil", "accepted", "fulfilled"),
        ("complete", "fulfilled", "completed"),
    ]
    assert body["events"][1]["actor"] == seller_admin.name
    assert body["closed_at"] is not None


def test_declining_puts_the_stock_back(order, seller_owner, listing):
    assert stock(listing) == 7
    response = act(seller_owner, order["id"], "decline", reason="No harvest this week")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert stock(listing) == 10
    assert OrderEvent.objects.get(action="decline").note == "No harvest this week"


def test_declining_without_a_reason_is_a_400_naming_the_reason(order, seller_owner, listing):
    """The buyer is owed an explanation: no reason, no decline, and nothing changes."""
    for body in ({}, {"reason": "   "}):
        response = act(seller_owner, order["id"], "decline", **body)
        assert response.status_code == 400
        assert "reason" in response.json()
    assert status_of(order["id"]) == "placed"
    assert stock(listing) == 7


def test_the_buyer_cancels_before_acceptance_without_a_reason(order, buyer_owner, listing):
    assert act(buyer_owner, order["id"], "cancel").status_code == 200
    assert status_of(order["id"]) == "cancelled"
    assert stock(listing) == 10


def test_after_acceptance_either_side_cancels_with_a_reason(
    order, seller_owner, buyer_owner, listing
):
    act(seller_owner, order["id"], "accept")
    response = act(buyer_owner, order["id"], "cancel")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert status_of(order["id"]) == "accepted"

    assert act(seller_owner, order["id"], "cancel", reason="Truck broke down").status_code == 200
    assert status_of(order["id"]) == "cancelled"
    assert stock(listing) == 10


def test_stock_is_not_put_back_twice(order, buyer_owner, listing):
    act(buyer_owner, order["id"], "cancel")
    assert act(buyer_owner, order["id"], "cancel").status_code == 409
    assert stock(listing) == 10


def test_restored_stock_goes_to_a_listing_that_still_counts_stock(order, buyer_owner, listing):
    Listing.objects.filter(pk=listing.pk).update(stock=None)  # now made to order
    act(buyer_owner, order["id"], "cancel")
    assert stock(listing) is None


@pytest.mark.parametrize(
    ("path", "action"),
    [
        (["accept", "fulfil", "complete"], "accept"),
        (["accept", "fulfil", "complete"], "cancel"),
        (["decline"], "accept"),
        (["accept"], "decline"),
        ([], "fulfil"),
        ([], "complete"),
        (["accept", "fulfil"], "cancel"),
    ],
)
def test_a_transition_the_status_does_not_allow_is_409(
    order, seller_owner, buyer_owner, path, action
):
    for step in path:
        actor = buyer_owner if step == "complete" else seller_owner
        assert act(actor, order["id"], step, reason="why").status_code == 200
    before = status_of(order["id"])
    actor = buyer_owner if action in ("complete", "cancel") else seller_owner
    response = act(actor, order["id"], action, reason="why not")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert status_of(order["id"]) == before


# Who may take each action from `placed` (or from the status it needs): the permission matrix,
# one action a row, each persona's answer.
MATRIX = {
    "accept": {
        "seller_owner": 200,
        "seller_admin": 200,
        "seller_member": 403,
        "buyer_owner": 403,
        "outsider": 404,
        "moderator": 403,
    },
    "decline": {"seller_admin": 200, "buyer_admin": 403, "seller_member": 403},
    "cancel": {"buyer_admin": 200, "buyer_member": 403, "seller_owner": 403, "outsider": 404},
}


@pytest.mark.parametrize(
    ("action", "persona", "expected"),
    [(action, persona, code) for action, row in MATRIX.items() for persona, code in row.items()],
)
def test_who_may_act_on_a_placed_order(order, request, action, persona, expected):
    user = request.getfixturevalue(persona)
    response = act(user, order["id"], action, reason="why")
    assert response.status_code == expected
    if expected != 200:
        assert status_of(order["id"]) == "placed"


@pytest.mark.parametrize(
    ("action", "persona", "expected"),
    [
        ("fulfil", "seller_admin", 200),
        ("fulfil", "buyer_owner", 403),
        ("fulfil", "seller_member", 403),
    ],
)
def test_who_may_fulfil(order, seller_owner, request, action, persona, expected):
    act(seller_owner, order["id"], "accept")
    assert act(request.getfixturevalue(persona), order["id"], action).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("buyer_owner", 200), ("buyer_admin", 200), ("buyer_member", 403), ("seller_owner", 403)],
)
def test_who_may_complete(order, seller_owner, request, persona, expected):
    act(seller_owner, order["id"], "accept")
    act(seller_owner, order["id"], "fulfil")
    assert act(request.getfixturevalue(persona), order["id"], "complete").status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("buyer_member", 200),
        ("seller_member", 200),
        ("moderator", 200),
        ("outsider", 404),
    ],
)
def test_who_sees_an_order(order, request, persona, expected):
    response = client_for(request.getfixturevalue(persona)).get(f"/api/v1/orders/{order['id']}/")
    assert response.status_code == expected


def test_the_detail_lists_the_actions_open_to_the_viewer(
    order, seller_owner, buyer_owner, buyer_member
):
    def actions(user):
        return client_for(user).get(f"/api/v1/orders/{order['id']}/").json()["actions"]

    assert actions(seller_owner) == ["accept", "decline"]
    assert actions(buyer_owner) == ["cancel", "order_again"]
    assert actions(buyer_member) == ["order_again"]  # a member fills the cart, never cancels


def test_anonymous_people_see_no_order(api, order):
    assert api.get(f"/api/v1/orders/{order['id']}/").status_code in (401, 403)
    assert api.post(f"/api/v1/orders/{order['id']}/accept/").status_code in (401, 403)


def test_each_transition_tells_the_other_side(
    order, seller_owner, buyer_owner, buyer_member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(seller_owner, order["id"], "accept")
    recipients = {address for m in mail.outbox for address in m.to}
    assert {buyer_owner.email, buyer_member.email} <= recipients
    assert seller_owner.email not in recipients
    assert all("accepted" in m.subject for m in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(buyer_owner, order["id"], "cancel", reason="Budget cut")
    assert {address for m in mail.outbox for address in m.to} == {seller_owner.email}
    assert "Budget cut" in mail.outbox[0].body


def test_no_mail_for_a_refused_transition(order, buyer_owner, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert act(buyer_owner, order["id"], "accept").status_code == 403
    assert mail.outbox == []


class TestOrderList:
    def test_lists_a_cooperatives_orders_by_role_and_status(
        self, order, buyer_coop, buyer_owner, seller_coop, seller_owner, listing
    ):
        # The seller also buys from a third cooperative.
        from tests.factories import ListingFactory, MembershipFactory

        third = CooperativeFactory(name="Tercera")
        MembershipFactory(cooperative=third, role="owner")
        place_order(seller_owner, seller_coop, ListingFactory(cooperative=third), quantity=1)
        act(seller_owner, order["id"], "accept")
        client = client_for(seller_owner)

        def ids(query):
            response = client.get(f"/api/v1/orders/?cooperative={seller_coop.slug}{query}")
            assert response.status_code == 200, response.content
            return [o["seller"]["slug"] for o in response.json()["results"]]

        assert ids("") == ["tercera", seller_coop.slug]
        assert ids("&role=seller") == [seller_coop.slug]
        assert ids("&role=buyer") == ["tercera"]
        assert ids("&status=accepted") == [seller_coop.slug]
        assert ids("&role=buyer&status=accepted") == []

    def test_is_for_members_and_moderators(self, order, buyer_coop, outsider, moderator):
        url = f"/api/v1/orders/?cooperative={buyer_coop.slug}"
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(moderator).get(url).json()["count"] == 1

    def test_refuses_an_unknown_role_or_status(self, buyer_coop, buyer_owner):
        client = client_for(buyer_owner)
        assert (
            client.get(f"/api/v1/orders/?cooperative={buyer_coop.slug}&role=x").status_code == 400
        )
        assert client.get("/api/v1/orders/").status_code == 400

    def test_query_count_does_not_grow_with_orders(
        self, buyer_coop, buyer_owner, listing, django_assert_max_num_queries
    ):
        for _ in range(5):
            place_order(buyer_owner, buyer_coop, listing, quantity=1)
        client = client_for(buyer_owner)
        with django_assert_max_num_queries(8):
            response = client.get(f"/api/v1/orders/?cooperative={buyer_coop.slug}")
        assert response.json()["count"] == 5


class TestAutoCompletion:
    def _fulfilled(self, order, seller_owner, days_ago):
        act(seller_owner, order["id"], "accept")
        act(seller_owner, order["id"], "fulfil")
        Order.objects.filter(pk=order["id"]).update(
            fulfilled_at=timezone.now() - timedelta(days=days_ago)
        )

    @override_settings(ORDER_AUTO_COMPLETE_DAYS=14)
    def test_completes_orders_fulfilled_long_enough_ago(self, order, seller_owner):
        self._fulfilled(order, seller_owner, days_ago=15)
        out = io.StringIO()
        call_command("complete_stale_orders", stdout=out)
        assert "Completed 1 order(s)" in out.getvalue()
        assert status_of(order["id"]) == "completed"
        event = OrderEvent.objects.get(action="complete")
        assert event.actor is None
        assert "automatically" in event.note

    @override_settings(ORDER_AUTO_COMPLETE_DAYS=14)
    def test_leaves_recent_and_flagged_orders(
        self, order, seller_owner, buyer_coop, buyer_owner, listing
    ):
        self._fulfilled(order, seller_owner, days_ago=13)
        flagged = place_order(buyer_owner, buyer_coop, listing, quantity=1)
        self._fulfilled(flagged, seller_owner, days_ago=30)
        services.order_flag(order=Order.objects.get(pk=flagged["id"]), reason="Dispute")
        assert services.order_complete_stale() == []
        assert status_of(order["id"]) == status_of(flagged["id"]) == "fulfilled"


def test_flagging_is_for_moderators_and_the_system(order, moderator, seller_owner):
    instance = Order.objects.get(pk=order["id"])
    from core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.order_flag(order=instance, reason="x", actor=seller_owner)
    services.order_flag(order=instance, reason="Seller suspended", actor=moderator)
    instance.refresh_from_db()
    assert instance.is_flagged and instance.flag_reason == "Seller suspended"
    assert OrderEvent.objects.filter(order=instance, action="flag", actor=moderator).exists()
    body = client_for(seller_owner).get(f"/api/v1/orders/{order['id']}/").json()
    assert body["is_flagged"] is True
