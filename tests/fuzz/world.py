"""The small world the fuzzer runs in: the demo (cooperatives, members, published listings with
images, orders in every status with invoices, reports, a rejection under appeal, verification
documents) plus what the demo leaves out: an order of the member's buyer cooperative, a line in
its cart, an open invitation and a draft.

`real_values()` lists, per path parameter and persona, ids that exist, so that some generated
requests reach the code behind the 404 (see test_schema_fuzz.py)."""

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.core.management import call_command

from accounts import services as accounts_services
from accounts.models import User
from cooperatives import services as cooperative_services
from cooperatives.demo import MODERATOR_EMAIL
from cooperatives.models import Cooperative, Invitation, Membership, Role, VerificationDocument
from marketplace import services as marketplace_services
from marketplace.models import Category, Listing, ListingImage
from moderation.models import Appeal, ModerationAction, Report
from orders import services as order_services
from orders.models import CartLine, Order

MEMBER_EMAIL = "lucia@minga.test"  # owner of a seller, member of a buyer cooperative
SELLER_SLUG = "grafica-estrella-del-sur"
BUYER_SLUG = "consumo-montevideo-solidario"


@dataclass
class World:
    member: User
    moderator: User
    tokens: dict[str, str] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)


def build_world() -> World:
    # The categories come from a data migration; a test that ran on the live server before this
    # one may have flushed them (get_or_create: nothing changes when they are there).
    default_categories = importlib.import_module("marketplace.migrations.0001_squashed")
    default_categories.categories_load(django_apps, None)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    member = User.objects.get(email=MEMBER_EMAIL)
    moderator = User.objects.get(email=MODERATOR_EMAIL)
    seller = Cooperative.objects.get(slug=SELLER_SLUG)
    buyer = Cooperative.objects.get(slug=BUYER_SLUG)

    # What the demo leaves out: an open invitation and a draft.
    cooperative_services.invitation_create(
        cooperative=seller, email="nueva@minga.test", role=Role.MEMBER, actor=member
    )
    marketplace_services.listing_create(
        cooperative=seller,
        actor=member,
        kind="product",
        title="Borrador de afiches",
        description="Afiches en risografía, a dos tintas.",
        category=Category.objects.filter(parent__isnull=False).order_by("id").first(),
        price_amount=150_000,
        currency="ARS",
        unit="piece",
        min_order_quantity=1,
        stock=10,
        delivers_pickup=True,
    )
    others = list(
        Listing.objects.filter(status="published", stock__isnull=True)
        .exclude(cooperative__in=[seller, buyer])
        .order_by("id")[:2]
    )
    assert len(others) == 2, "the demo has published listings without a stock limit"
    # An order of the member's buyer cooperative, placed by its owner (whatever the demo's
    # orders are), then a line left in its cart.
    buyer_owner = Membership.objects.get(cooperative=buyer, role=Role.OWNER).user
    for listing, actor in zip(others, [buyer_owner, member], strict=True):
        order_services.cart_add_item(
            cooperative=buyer,
            listing_id=listing.pk,
            quantity=listing.min_order_quantity,
            actor=actor,
        )
        if actor == buyer_owner:
            order_services.checkout_place(
                buyer=buyer,
                actor=buyer_owner,
                idempotency_key="fuzz-world-order",
                payment_method="invoice",
                currency=listing.currency,
                delivery_address="Av. 18 de Julio 1234, Montevideo",
            )

    world = World(member=member, moderator=moderator)
    world.tokens = {
        "member": accounts_services.user_token(user=member),
        "owner": accounts_services.user_token(user=buyer_owner),
        "moderator": accounts_services.user_token(user=moderator),
    }
    world.values = real_values(member)
    return world


def _ids(queryset: Any, limit: int = 4) -> list[Any]:
    return list(queryset.order_by("id").values_list("id", flat=True)[:limit])


def real_values(member: User) -> dict[str, list[Any]]:
    """Path parameter name → values that exist: the member's own first, then others'."""
    mine = list(Membership.objects.filter(user=member).values_list("cooperative_id", flat=True))
    slugs = list(Cooperative.objects.filter(id__in=mine).values_list("slug", flat=True))
    slugs.append(
        Cooperative.objects.exclude(id__in=mine).order_by("id").values_list("slug", flat=True)[0]
    )
    listings = _ids(Listing.objects.filter(cooperative_id__in=mine), 6) + _ids(
        Listing.objects.exclude(cooperative_id__in=mine), 2
    )
    orders = _ids(
        Order.objects.filter(buyer_id__in=mine) | Order.objects.filter(seller_id__in=mine)
    )
    return {
        "slug": slugs,
        "listing_id": listings,
        "image_id": _ids(ListingImage.objects.filter(listing_id__in=listings), 6),
        # Not the member's own: leaving a cooperative early would cut the rest of the run short.
        "membership_id": _ids(
            Membership.objects.filter(cooperative_id__in=mine).exclude(user=member), 6
        ),
        "invitation_id": _ids(Invitation.objects.all()),
        "token": list(Invitation.objects.values_list("token", flat=True)[:2]),
        "document_id": _ids(VerificationDocument.objects.filter(request__cooperative_id__in=mine)),
        "report_id": _ids(Report.objects.all()),
        "action_id": _ids(ModerationAction.objects.all()),
        "appeal_id": _ids(Appeal.objects.all()),
        "order_pk": orders + _ids(Order.objects.exclude(id__in=orders), 2),
        "cart_line_pk": _ids(CartLine.objects.all()),
        "cooperative": slugs,
        "listing": listings,
    }
