"""What a suspended cooperative may still do: the table in docs/security.md, the policy in
cooperatives.permissions.SUSPENDED_MAY, and what the API answers, checked against each other row
by row (so neither the doc nor the code can drift)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cooperatives import services as cooperative_services
from cooperatives.models import Invitation, Role
from cooperatives.permissions import SUSPENDED_MAY
from moderation import services as moderation_services
from orders import services as order_services
from orders.models import Order
from tests.conftest import client_for
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ListingFactory,
    MembershipFactory,
    UserFactory,
)
from tests.orders.conftest import add_to_cart, checkout
from tests.quotes.helpers import publish

pytestmark = pytest.mark.django_db

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
SECTION = "## What a suspended cooperative can and cannot do"


def documented_table() -> dict[str, bool]:
    """The rows of the section's Markdown table: `action` → allowed (yes/no)."""
    text = SECURITY_DOC.read_text()
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, bool] = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\| `([a-z_]+)` \| [^|]+ \| (yes|no) \|", line.strip())
        if match:
            assert match[1] not in rows, f"{match[1]} is in the table twice"
            rows[match[1]] = match[2] == "yes"
    return rows


def test_the_documented_table_is_the_policy() -> None:
    assert documented_table() == SUSPENDED_MAY


@dataclass
class World:
    suspended: Any  # the suspended cooperative
    partner: Any  # an active cooperative trading with it both ways
    owner: Any  # owner of the suspended cooperative
    member: Any  # a plain member of it
    partner_owner: Any
    listing: Any  # the suspended cooperative's published listing
    draft: Any
    partner_listing: Any
    orders: dict[str, Order]
    invitation: Invitation
    decision: Any  # the suspension
    rfq: Any  # the partner's request for quotes, sent to the suspended cooperative before


def _order(buyer_user: Any, buyer: Any, listing: Any) -> Order:
    assert add_to_cart(buyer_user, buyer, listing).status_code in (200, 201)
    response = checkout(buyer_user, buyer)
    assert response.status_code == 201, response.content
    return Order.objects.get(pk=response.json()["orders"][0]["id"])


@pytest.fixture
def world(moderator: Any) -> World:
    category = CategoryFactory(name="Suspension tests", slug="suspension-tests")
    suspended = CooperativeFactory(name="Cooperativa Suspendida")
    partner = CooperativeFactory(name="Cooperativa Socia", country="UY")
    owner = MembershipFactory(cooperative=suspended, role=Role.OWNER).user
    member = MembershipFactory(cooperative=suspended, role=Role.MEMBER).user
    partner_owner = MembershipFactory(cooperative=partner, role=Role.OWNER).user
    listing = ListingFactory(cooperative=suspended, category=category, stock=50)
    draft = ListingFactory(
        cooperative=suspended, category=category, status="draft", published_at=None
    )
    partner_listing = ListingFactory(cooperative=partner, category=category, stock=50)
    orders = {}
    # The partner buys from the suspended cooperative...
    for name in ("to_accept", "to_decline", "to_fulfil", "to_mark_paid"):
        orders[name] = _order(partner_owner, partner, listing)
    for name in ("to_fulfil", "to_mark_paid"):
        order_services.order_accept(order=orders[name], actor=owner)
    # ... and the suspended cooperative buys from the partner.
    for name in ("to_complete", "to_cancel"):
        orders[name] = _order(owner, suspended, partner_listing)
    order_services.order_accept(order=orders["to_complete"], actor=partner_owner)
    order_services.order_fulfil(order=orders["to_complete"], actor=partner_owner)
    assert add_to_cart(owner, suspended, partner_listing).status_code in (200, 201)  # to check out
    invitation = cooperative_services.invitation_create(
        cooperative=suspended, email="invitee@example.coop", role=Role.MEMBER, actor=owner
    )
    rfq = publish(partner, partner_owner, [suspended])
    decision = moderation_services.cooperative_suspend(
        cooperative=suspended, actor=moderator, reason="Fake certificates."
    )
    for order in orders.values():
        order.refresh_from_db()
    suspended.refresh_from_db()
    return World(
        suspended,
        partner,
        owner,
        member,
        partner_owner,
        listing,
        draft,
        partner_listing,
        orders,
        invitation,
        decision,
        rfq,
    )


def _csv() -> SimpleUploadedFile:
    data = (
        "sku,kind,title,description,category,price,currency,unit,stock,delivery_modes\n"
        "S-1,product,Yerba,,suspension-tests,10,ARS,kg,5,pickup\n"
    )
    return SimpleUploadedFile("catalogue.csv", data.encode(), content_type="text/csv")


def _png() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


# One way to try each action of the table through the API, as the suspended cooperative's owner
# (or the member concerned). Each returns the response.
TRY: dict[str, Callable[[World], Any]] = {
    "read": lambda w: client_for(w.owner).get(f"/api/v1/orders/?cooperative={w.suspended.slug}"),
    "message": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_accept'].pk}/messages/",
        {"body": "We were suspended; we are sorting it out."},
        format="json",
    ),
    "export": lambda w: client_for(w.owner).get(f"/api/v1/cooperatives/{w.suspended.slug}/export/"),
    "appeal": lambda w: client_for(w.owner).post(
        "/api/v1/appeals/",
        {"action": w.decision.pk, "statement": "Our certificates are genuine."},
        format="json",
    ),
    "decline_order": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_decline'].pk}/decline/",
        {"reason": "No stock this month."},
        format="json",
    ),
    "cancel_order": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_cancel'].pk}/cancel/", {}, format="json"
    ),
    "leave": lambda w: client_for(w.member).delete(
        f"/api/v1/cooperatives/{w.suspended.slug}/members/"
        f"{w.member.memberships.get(cooperative=w.suspended).pk}/"
    ),
    "revoke_invitation": lambda w: client_for(w.owner).delete(
        f"/api/v1/cooperatives/{w.suspended.slug}/invitations/{w.invitation.pk}/"
    ),
    "archive_listing": lambda w: client_for(w.owner).delete(f"/api/v1/listings/{w.listing.pk}/"),
    "accept_order": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_accept'].pk}/accept/", {}, format="json"
    ),
    "fulfil_order": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_fulfil'].pk}/fulfil/", {}, format="json"
    ),
    "complete_order": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_complete'].pk}/complete/", {}, format="json"
    ),
    "mark_paid": lambda w: client_for(w.owner).post(
        f"/api/v1/orders/{w.orders['to_mark_paid'].pk}/mark-paid/", {}, format="json"
    ),
    "edit_profile": lambda w: client_for(w.owner).patch(
        f"/api/v1/cooperatives/{w.suspended.slug}/", {"city": "Rosario"}, format="json"
    ),
    "stripe_onboarding": lambda w: client_for(w.owner).post(
        f"/api/v1/cooperatives/{w.suspended.slug}/stripe/onboarding/", {}, format="json"
    ),
    "create_listing": lambda w: client_for(w.owner).post(
        "/api/v1/listings/",
        {
            "cooperative": w.suspended.slug,
            "kind": "product",
            "title": "Mate de calabaza",
            "description": "Curado.",
            "category": w.listing.category.slug,
            "price_amount": 5000,
            "currency": "ARS",
            "unit": "piece",
            "delivery_modes": ["pickup"],
        },
        format="json",
    ),
    "edit_listing": lambda w: client_for(w.owner).patch(
        f"/api/v1/listings/{w.listing.pk}/", {"price_amount": 1}, format="json"
    ),
    "import_listings": lambda w: client_for(w.owner).post(
        f"/api/v1/cooperatives/{w.suspended.slug}/catalogue/import/",
        {"file": _csv()},
        format="multipart",
    ),
    "submit_listing": lambda w: client_for(w.owner).post(
        f"/api/v1/listings/{w.draft.pk}/submit/", {}, format="json"
    ),
    "invite_member": lambda w: client_for(w.owner).post(
        f"/api/v1/cooperatives/{w.suspended.slug}/members/",
        {"email": "new@example.coop", "role": "admin"},
        format="json",
    ),
    "change_member": lambda w: client_for(w.owner).patch(
        f"/api/v1/cooperatives/{w.suspended.slug}/members/"
        f"{w.member.memberships.get(cooperative=w.suspended).pk}/",
        {"role": "admin"},
        format="json",
    ),
    "join": lambda w: client_for(UserFactory(email="invitee@example.coop")).post(
        f"/api/v1/invitations/{w.invitation.token}/accept/", {}, format="json"
    ),
    "fill_cart": lambda w: add_to_cart(w.owner, w.suspended, w.partner_listing),
    "checkout": lambda w: checkout(w.owner, w.suspended),
    "rfq": lambda w: client_for(w.owner).post(
        "/api/v1/rfqs/",
        {
            "cooperative": w.suspended.slug,
            "title": "Yerba a granel",
            "specification": "500 kg",
            "quantity": 500,
            "unit": "kg",
            "delivery_place": "Rosario",
            "delivery_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "answers_due_at": (timezone.now() + timedelta(days=7)).isoformat(),
            "visibility": "private",
            "invited": [w.partner.slug],
        },
        format="json",
    ),
    "agreement": lambda w: client_for(w.owner).post(
        "/api/v1/agreements/",
        {
            "cooperative": w.suspended.slug,
            "buyer": w.partner.slug,
            "name": "Acuerdo 2027",
            "currency": w.listing.currency,
            "payment_terms_days": 30,
            "valid_from": "2026-01-01",
            "valid_until": "2099-12-31",
            "prices": [{"listing": w.listing.pk, "min_quantity": 1, "fixed_price_amount": 9_00}],
        },
        format="json",
    ),
    "quote": lambda w: client_for(w.owner).post(
        f"/api/v1/rfqs/{w.rfq.pk}/quotes/",
        {
            "currency": "UYU",
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "lead_time_days": 10,
            "payment_terms_days": 30,
            "credit_share_bps": 0,
            "lines": [
                {
                    "description": "Folletos",
                    "quantity": 1000,
                    "unit": "unit",
                    "unit_price_amount": 9,
                }
            ],
        },
        format="json",
    ),
}


def test_every_row_of_the_table_is_tried() -> None:
    assert set(TRY) == set(SUSPENDED_MAY)


@pytest.mark.parametrize("action", sorted(SUSPENDED_MAY))
def test_the_api_does_what_the_table_says(world: World, action: str, settings: Any) -> None:
    settings.STRIPE_SECRET_KEY = "sk_test_suspension"  # onboarding is judged, not unconfigured
    response = TRY[action](world)
    body = response.json() if response.content else {}
    if documented_table()[action]:
        assert 200 <= response.status_code < 300, (action, response.status_code, body)
    else:
        assert response.status_code == 409, (action, response.status_code, body)
        assert body["code"] == "cooperative_suspended"
        assert "suspended" in body["detail"]


def test_images_of_a_suspended_seller_cannot_change(world: World) -> None:
    response = client_for(world.owner).post(
        f"/api/v1/listings/{world.listing.pk}/images/", {"image": _png()}, format="multipart"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "cooperative_suspended"
    assert not world.listing.images.exists()


def test_refusals_are_translated(world: World) -> None:
    response = client_for(world.owner).post(
        f"/api/v1/orders/{world.orders['to_accept'].pk}/accept/",
        {},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 409
    assert "está suspendida por los moderadores" in response.json()["detail"]


def test_the_buyer_sees_the_seller_is_suspended_and_may_cancel(world: World) -> None:
    buyer = client_for(world.partner_owner)
    placed, accepted = world.orders["to_accept"], world.orders["to_fulfil"]
    detail = buyer.get(f"/api/v1/orders/{placed.pk}/").json()
    assert detail["seller_suspended"] is True
    assert "cancel" in detail["actions"]
    listed = buyer.get(f"/api/v1/orders/?cooperative={world.partner.slug}&role=buyer").json()
    assert {row["id"]: row["seller_suspended"] for row in listed["results"]}[placed.pk] is True
    # The orders where the partner sells are not flagged for it.
    mine = buyer.get(f"/api/v1/orders/{world.orders['to_complete'].pk}/").json()
    assert mine["seller_suspended"] is False

    pages = Client()
    pages.force_login(world.partner_owner)
    page = pages.get(f"/orders/{placed.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "The seller is suspended by the moderators" in page.content.decode()

    response = buyer.post(
        f"/api/v1/orders/{accepted.pk}/cancel/",
        {"reason": "The seller was suspended."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert response.json()["seller_suspended"] is False  # closed: nothing left to warn about


def test_the_seller_is_not_offered_what_it_may_not_do(world: World) -> None:
    """The order page offers only what the seller may do: decline, never accept."""
    detail = client_for(world.owner).get(f"/api/v1/orders/{world.orders['to_accept'].pk}/").json()
    assert detail["actions"] == ["decline"]
    paid = client_for(world.owner).get(f"/api/v1/orders/{world.orders['to_mark_paid'].pk}/")
    assert paid.json()["actions"] == ["cancel"]
    pages = Client()
    pages.force_login(world.owner)
    page = pages.get(f"/orders/{world.orders['to_mark_paid'].pk}/").content.decode()
    assert "mark-paid" not in page


def test_the_pages_refuse_like_the_api(world: World) -> None:
    pages = Client()
    pages.force_login(world.owner)
    order = world.orders["to_accept"]
    response = pages.post(f"/orders/{order.pk}/accept/", {}, follow=True)
    order.refresh_from_db()
    assert order.status == "placed"
    assert "suspended" in response.content.decode()
