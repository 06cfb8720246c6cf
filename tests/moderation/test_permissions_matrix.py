"""Every moderation endpoint × every persona. A moderator who belongs to the seller cooperative
(`conflicted`) reads the queues but decides nothing about it."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cooperatives.models import VerificationRequest
from moderation import services
from tests.conftest import client_for
from tests.factories import ListingFactory, UserFactory
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "seller_member",
    "seller_admin",
    "seller_owner",
    "moderator",
    "conflicted_moderator",
]


def listing(world, status):
    return ListingFactory(
        cooperative=world["coop"],
        status=status,
        submitted_at=timezone.now(),
        published_at=timezone.now() if status == "published" else None,
    )


def set_coop_status(world, status):
    world["coop"].verification_status = status
    world["coop"].save()
    if status == "pending":
        VerificationRequest.objects.get_or_create(cooperative=world["coop"], status="pending")


def open_report(world):
    return services.report_create(
        actor=UserFactory(), listing=listing(world, "published"), reason="fraud"
    )


def open_appeal(world):
    decision = services.listing_reject(
        listing=listing(world, "pending_review"), actor=world["decider"], reason="No."
    )
    return services.appeal_file(decision=decision, actor=world["owner"], statement="Please.")


def rejection(world):
    return services.listing_reject(
        listing=listing(world, "pending_review"), actor=world["decider"], reason="No."
    )


def coop_url(world, decision):
    return f"/api/v1/moderation/cooperatives/{world['coop'].slug}/{decision}/"


# name: (method, prepare(world) -> (url, body))
ENDPOINTS = {
    "review queue": ("get", lambda w: ("/api/v1/moderation/listings/", None)),
    "approve listing": (
        "post",
        lambda w: (f"/api/v1/moderation/listings/{listing(w, 'pending_review').pk}/approve/", {}),
    ),
    "reject listing": (
        "post",
        lambda w: (
            f"/api/v1/moderation/listings/{listing(w, 'pending_review').pk}/reject/",
            {"reason": "Misleading."},
        ),
    ),
    "suspend listing": (
        "post",
        lambda w: (
            f"/api/v1/moderation/listings/{listing(w, 'published').pk}/suspend/",
            {"reason": "Prohibited."},
        ),
    ),
    "reinstate listing": (
        "post",
        lambda w: (f"/api/v1/moderation/listings/{listing(w, 'suspended').pk}/reinstate/", {}),
    ),
    "report": (
        "post",
        lambda w: ("/api/v1/reports/", {"listing": listing(w, "published").pk, "reason": "fraud"}),
    ),
    "report queue": ("get", lambda w: ("/api/v1/moderation/reports/", None)),
    "resolve report": (
        "post",
        lambda w: (
            f"/api/v1/moderation/reports/{open_report(w).pk}/resolve/",
            {"outcome": "dismissed"},
        ),
    ),
    "verify cooperative": (
        "post",
        lambda w: (set_coop_status(w, "pending"), (coop_url(w, "verify"), {}))[1],
    ),
    "reject cooperative": (
        "post",
        lambda w: (set_coop_status(w, "pending"), (coop_url(w, "reject"), {"reason": "No."}))[1],
    ),
    "suspend cooperative": (
        "post",
        lambda w: (coop_url(w, "suspend"), {"reason": "Fraud."}),
    ),
    "reinstate cooperative": (
        "post",
        lambda w: (set_coop_status(w, "suspended"), (coop_url(w, "reinstate"), {}))[1],
    ),
    "verification queue": ("get", lambda w: ("/api/v1/moderation/verification-requests/", None)),
    "action log": ("get", lambda w: ("/api/v1/moderation/actions/", None)),
    "action detail": ("get", lambda w: (f"/api/v1/moderation/actions/{rejection(w).pk}/", None)),
    "appeal": (
        "post",
        lambda w: ("/api/v1/appeals/", {"action": rejection(w).pk, "statement": "Please."}),
    ),
    "seller's appeals": (
        "get",
        lambda w: (f"/api/v1/appeals/?cooperative={w['coop'].slug}", None),
    ),
    "seller's decisions": (
        "get",
        lambda w: (f"/api/v1/decisions/?cooperative={w['coop'].slug}", None),
    ),
    "appeal queue": ("get", lambda w: ("/api/v1/moderation/appeals/", None)),
    "resolve appeal": (
        "post",
        lambda w: (
            f"/api/v1/moderation/appeals/{open_appeal(w).pk}/resolve/",
            {"outcome": "upheld", "note": "Stands."},
        ),
    ),
}

MODERATOR_READ = {
    "anonymous": 401,
    "outsider": 403,
    "seller_member": 403,
    "seller_admin": 403,
    "seller_owner": 403,
    "moderator": 200,
    "conflicted_moderator": 200,
}
MODERATOR_DECIDE = {**MODERATOR_READ, "conflicted_moderator": 403}
SELLER_READ = {
    "anonymous": 401,
    "outsider": 404,
    "seller_member": 200,
    "seller_admin": 200,
    "seller_owner": 200,
    "moderator": 200,
    "conflicted_moderator": 200,
}
EXPECTED = {
    "review queue": MODERATOR_READ,
    "approve listing": MODERATOR_DECIDE,
    "reject listing": MODERATOR_DECIDE,
    "suspend listing": MODERATOR_DECIDE,
    "reinstate listing": MODERATOR_DECIDE,
    "report": {persona: 201 for persona in PERSONAS} | {"anonymous": 401},
    "report queue": MODERATOR_READ,
    "resolve report": MODERATOR_DECIDE,
    "verify cooperative": MODERATOR_DECIDE,
    "reject cooperative": MODERATOR_DECIDE,
    "suspend cooperative": MODERATOR_DECIDE,
    "reinstate cooperative": MODERATOR_DECIDE,
    "verification queue": MODERATOR_READ,
    "action log": MODERATOR_READ,
    "action detail": MODERATOR_READ,
    "appeal": {persona: 403 for persona in PERSONAS}
    | {"anonymous": 401, "seller_admin": 201, "seller_owner": 201},
    "seller's appeals": SELLER_READ,
    "seller's decisions": SELLER_READ,
    "appeal queue": MODERATOR_READ,
    "resolve appeal": MODERATOR_DECIDE,
}


def test_the_matrix_covers_every_route_of_the_app(world):
    from urllib.parse import urlsplit

    from django.urls import resolve

    from moderation.api import urls

    assert set(EXPECTED) == set(ENDPOINTS)
    covered = {
        resolve(urlsplit(prepare(world)[0]).path).url_name for _, prepare in ENDPOINTS.values()
    }
    assert covered == {pattern.name for pattern in urls.urlpatterns}


@pytest.fixture
def world(seller_coop, seller_owner):
    return {"coop": seller_coop, "owner": seller_owner, "decider": make_moderator(name="Decider")}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_matrix(request, world, endpoint, persona):
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    method, prepare = ENDPOINTS[endpoint]
    url, body = prepare(world)
    client = APIClient() if persona == "anonymous" else client_for(users[persona])
    response = (
        getattr(client, method)(url, body, format="json") if body is not None else client.get(url)
    )
    assert response.status_code == EXPECTED[endpoint][persona], response.content
