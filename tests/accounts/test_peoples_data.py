"""A person downloads what Minga holds about them, and deletes their account: they leave their
cooperatives, the trade records stay for the cooperatives without their name."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import FORMER_MEMBER_NAME
from cooperatives.models import Membership, Role
from moderation import services as moderation
from moderation.models import ModerationAction, Report
from orders.models import Invoice, Message, Order, OrderEvent
from tests.accounts.helpers import register
from tests.conftest import client_for
from tests.factories import ListingFactory, MembershipFactory
from tests.orders.conftest import act, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PASSWORD = "a long passphrase 42"
ME = "/api/v1/me/"
EXPORT = "/api/v1/me/export/"


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def trade(buyer_coop, buyer_owner, buyer_admin, seller_coop, seller_owner):
    """Buyer admin Ana placed an order, wrote in its thread and reported a listing; the seller
    accepted the order (an invoice was issued) and answered."""
    ana = with_password(buyer_admin)
    listing = ListingFactory(
        cooperative=seller_coop, price_amount=125_000, currency="ARS", stock=10
    )
    order = place_order(ana, buyer_coop, listing)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    thread = f"/api/v1/orders/{order['id']}/messages/"
    client_for(ana).post(thread, {"body": "¿Llega el lunes?"}, format="json")
    client_for(seller_owner).post(thread, {"body": "Sí, a las 9."}, format="json")
    other = ListingFactory(cooperative=seller_coop, status="published")
    moderation.report_create(actor=ana, listing=other, reason="misleading", details="Not organic")
    return {"ana": ana, "order_id": order["id"], "thread": thread}


def delete_account(user: User, password: str = PASSWORD, client: APIClient | None = None):
    return (client or client_for(user)).delete(ME, {"password": password}, format="json")


# Export ----------------------------------------------------------------------------------------


def test_the_export_holds_what_the_person_did_and_wrote(trade, buyer_coop):
    ana = trade["ana"]
    response = client_for(ana).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="minga-personal-data.json"'
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["profile"]["email"] == ana.email
    assert body["memberships"] == [
        {
            "cooperative": buyer_coop.slug,
            "cooperative_name": buyer_coop.name,
            "role": "admin",
            "joined_at": body["memberships"][0]["joined_at"],
        }
    ]
    [placed] = body["orders_placed"]
    assert placed["id"] == trade["order_id"]
    assert placed["total_amount"] == 250_000
    assert placed["lines"][0]["quantity"] == 2
    assert [m["body"] for m in body["messages"]] == ["¿Llega el lunes?"]  # not the seller's
    assert [e["action"] for e in body["order_events"]] == ["place"]
    [report] = body["reports"]
    assert (report["reason"], report["details"]) == ("misleading", "Not organic")


def test_the_export_is_for_the_signed_in_person_only(api, trade, seller_owner):
    assert api.get(EXPORT).status_code == 401
    body = client_for(seller_owner).get(EXPORT).json()
    assert [m["body"] for m in body["messages"]] == ["Sí, a las 9."]
    assert body["orders_placed"] == []
    assert [e["action"] for e in body["order_events"]] == ["accept", "issue_invoice"]


# Deletion --------------------------------------------------------------------------------------


def test_deleting_keeps_the_trade_records_without_the_name(trade, seller_owner):
    ana = trade["ana"]
    invoices_before = Invoice.objects.count()
    assert delete_account(ana).status_code == 204

    assert not User.objects.filter(pk=ana.pk).exists()
    assert not Membership.objects.filter(user_id=ana.pk).exists()
    order = Order.objects.get(pk=trade["order_id"])
    assert order.placed_by.name == FORMER_MEMBER_NAME
    assert Invoice.objects.count() == invoices_before == 1
    # What the seller sees of the order and its thread.
    seller = client_for(seller_owner)
    detail = seller.get(f"/api/v1/orders/{order.pk}/").json()
    actors = {event["action"]: event["actor"] for event in detail["events"]}
    assert actors["place"] == FORMER_MEMBER_NAME
    assert actors["accept"] == seller_owner.name
    thread = seller.get(trade["thread"]).json()["results"]
    assert [(m["author"], m["body"]) for m in thread] == [
        (FORMER_MEMBER_NAME, "¿Llega el lunes?"),
        (seller_owner.name, "Sí, a las 9."),
    ]
    # The report stays for the moderators, without a reporter.
    report = Report.objects.get()
    assert report.reporter is None
    assert report.details == "Not organic"
    assert not OrderEvent.objects.filter(actor_id=ana.pk).exists()
    assert not Message.objects.filter(author_id=ana.pk).exists()


def test_after_deletion_nobody_signs_in_and_the_address_is_free(trade):
    ana = trade["ana"]
    session = APIClient()
    session.post("/api/v1/auth/login/", {"email": ana.email, "password": PASSWORD}, format="json")
    assert delete_account(ana, client=session).status_code == 204
    assert session.get(ME).status_code in (401, 403)  # the session ended with the account
    token = APIClient().post(
        "/api/v1/auth/token/", {"email": ana.email, "password": PASSWORD}, format="json"
    )
    assert token.status_code == 400
    again = register(APIClient(), email=ana.email, password=PASSWORD, name="Ana otra vez")
    assert again.status_code == 201


def test_a_wrong_password_deletes_nothing_and_counts_as_a_failed_sign_in(trade):
    ana = trade["ana"]
    response = delete_account(ana, password="not it")
    assert response.status_code == 400
    assert "password" in response.json()
    assert User.objects.filter(pk=ana.pk, is_active=True).exists()
    assert Membership.objects.filter(user=ana).exists()
    for _ in range(4):
        delete_account(ana, password="not it")
    assert delete_account(ana).status_code == 429  # locked, like the sign-in
    assert User.objects.filter(pk=ana.pk).exists()


def test_a_missing_password_is_a_400(outsider):
    response = client_for(outsider).delete(ME, {}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_the_only_owner_hands_over_first(buyer_coop, buyer_owner):
    owner = with_password(buyer_owner)
    refused = delete_account(owner)
    assert refused.status_code == 409
    assert refused.json()["code"] == "last_owner"
    assert buyer_coop.name in refused.json()["detail"]
    assert Membership.objects.filter(user=owner, role=Role.OWNER).exists()
    # Once another owner is named, the account can go.
    MembershipFactory(cooperative=buyer_coop, role=Role.OWNER)
    assert delete_account(owner).status_code == 204
    assert buyer_coop.memberships.filter(role=Role.OWNER).count() == 1


def test_a_moderator_whose_decisions_are_logged_stays_as_an_anonymous_tombstone(moderator):
    listing = ListingFactory(status="pending_review")
    with_password(moderator)
    moderation.listing_approve(listing=listing, actor=moderator)
    email = moderator.email
    assert delete_account(moderator).status_code == 204
    tombstone = User.objects.get(pk=moderator.pk)  # the append-only log still points here
    assert tombstone.name == FORMER_MEMBER_NAME
    assert tombstone.email != email
    assert not tombstone.is_active
    assert not tombstone.has_usable_password()
    assert not tombstone.groups.exists()
    assert ModerationAction.objects.get().actor.name == FORMER_MEMBER_NAME
    assert not User.objects.filter(email__iexact=email).exists()


def test_the_former_member_account_cannot_sign_in(trade):
    delete_account(trade["ana"])
    placeholder = User.objects.get(name=FORMER_MEMBER_NAME)
    assert not placeholder.is_active
    assert not placeholder.has_usable_password()
    assert not placeholder.memberships.exists()
