"""Listing review: the queue and the four decisions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cooperatives.models import Role
from marketplace.models import Listing
from marketplace.state import ListingStatus
from moderation import services
from moderation.models import ModerationAction
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/listings/"


def decide(user, listing, decision, **body):
    return client_for(user).post(
        f"/api/v1/moderation/listings/{listing.pk}/{decision}/", body, format="json"
    )


def test_queue_shows_pending_listings_oldest_first_with_the_sellers_standing(
    moderator, seller_coop, pending_listing
):
    newer_seller = CooperativeFactory(name="Cooperativa Nueva", verification_status="verified")
    older = ListingFactory(
        cooperative=newer_seller,
        status="pending_review",
        submitted_at=timezone.now() - timedelta(days=2),
    )
    ListingFactory(cooperative=seller_coop, status="published")
    response = client_for(moderator).get(QUEUE)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [older.pk, pending_listing.pk]
    assert results[0]["cooperative"]["verification_status"] == "verified"
    assert results[0]["cooperative"]["is_verified"] is True
    assert results[1]["cooperative"]["verification_status"] == "unverified"
    assert results[1]["can_decide"] is True


def test_queue_shows_the_decisions_taken_before(moderator, pending_listing):
    services.listing_reject(listing=pending_listing, actor=moderator, reason="Blurry photos.")
    Listing.objects.filter(pk=pending_listing.pk).update(status="pending_review")
    item = client_for(moderator).get(QUEUE).json()["results"][0]
    assert item["prior_decisions_count"] == 1
    assert item["prior_decisions"][0]["action"] == "listing_reject"
    assert item["prior_decisions"][0]["reason"] == "Blurry photos."
    assert item["seller_adverse_decisions"] == 1


def test_queue_can_show_another_status_and_one_seller(moderator, seller_coop, published_listing):
    ListingFactory(status="published")
    response = client_for(moderator).get(
        QUEUE, {"status": "published", "cooperative": seller_coop.slug}
    )
    assert [item["id"] for item in response.json()["results"]] == [published_listing.pk]
    assert client_for(moderator).get(QUEUE, {"status": "bogus"}).status_code == 400


def test_conflicted_moderator_sees_the_listing_but_cannot_decide(
    conflicted_moderator, pending_listing
):
    item = client_for(conflicted_moderator).get(QUEUE).json()["results"][0]
    assert item["can_decide"] is False
    response = decide(conflicted_moderator, pending_listing, "approve")
    assert response.status_code == 403
    assert "member" in response.json()["detail"]
    pending_listing.refresh_from_db()
    assert pending_listing.status == "pending_review"
    assert not ModerationAction.objects.exists()


def test_queue_query_count_does_not_grow_with_the_page(moderator, assert_constant_queries):
    def fill(count):
        for _ in range(count):
            listing = ListingFactory(status="pending_review", published_at=None)
            services.listing_reject(listing=listing, actor=moderator, reason="No.")
            Listing.objects.filter(pk=listing.pk).update(status="pending_review")

    assert_constant_queries(client_for(moderator), QUEUE, fill, limit=8, rows=10)


def test_approve_publishes_logs_and_emails_the_owners_and_admins(
    moderator,
    pending_listing,
    seller_owner,
    seller_admin,
    seller_member,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator, pending_listing, "approve")
    assert response.status_code == 200
    body = response.json()
    assert body["action"] == "listing_approve"
    assert (body["from_status"], body["to_status"]) == ("pending_review", "published")
    assert body["actor"]["id"] == moderator.pk
    pending_listing.refresh_from_db()
    assert pending_listing.status == "published"
    assert pending_listing.published_at is not None
    log = ModerationAction.objects.get()
    assert (log.actor, log.listing, log.action) == (moderator, pending_listing, "listing_approve")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seller_owner.email, seller_admin.email])
    assert "is published" in mail.outbox[0].subject
    assert pending_listing.title in mail.outbox[0].body


def test_reject_needs_a_reason_and_changes_nothing_without_one(moderator, pending_listing):
    for body in ({}, {"reason": "   "}):
        response = decide(moderator, pending_listing, "reject", **body)
        assert response.status_code == 400
        assert "reason" in response.json()
    pending_listing.refresh_from_db()
    assert pending_listing.status == "pending_review"
    assert not ModerationAction.objects.exists()


def test_reject_shows_the_reason_to_the_seller(
    moderator, pending_listing, seller_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            moderator, pending_listing, "reject", reason="The photos are stock images."
        )
    assert response.status_code == 200
    pending_listing.refresh_from_db()
    assert pending_listing.status == "rejected"
    assert pending_listing.status_reason == "The photos are stock images."
    (message,) = mail.outbox
    assert "not approved" in message.subject
    assert "The photos are stock images." in message.body
    assert "appeal" in message.body
    assert f"/cooperatives/{pending_listing.cooperative.slug}/decisions/" in message.body


def test_suspend_and_reinstate_a_published_listing(moderator, published_listing):
    assert decide(moderator, published_listing, "suspend").status_code == 400
    response = decide(moderator, published_listing, "suspend", reason="Counterfeit brand.")
    assert response.status_code == 200
    published_listing.refresh_from_db()
    assert (published_listing.status, published_listing.status_reason) == (
        "suspended",
        "Counterfeit brand.",
    )
    assert decide(moderator, published_listing, "reinstate").status_code == 200
    published_listing.refresh_from_db()
    assert (published_listing.status, published_listing.status_reason) == ("published", "")
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "listing_suspend",
        "listing_reinstate",
    ]


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        ("published", "approve"),
        ("draft", "approve"),
        ("rejected", "reject"),
        ("draft", "suspend"),
        ("published", "reinstate"),
        ("archived", "reinstate"),
    ],
)
def test_decisions_in_the_wrong_status_are_409(moderator, seller_coop, status, decision):
    listing = ListingFactory(cooperative=seller_coop, status=status)
    response = decide(moderator, listing, decision, reason="Because.")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    label = ListingStatus(status).label
    assert f"whose status is “{label}”." in response.json()["detail"]
    listing.refresh_from_db()
    assert listing.status == status
    assert not ModerationAction.objects.exists()


def test_unknown_listing_is_404(moderator):
    assert (
        client_for(moderator).post("/api/v1/moderation/listings/999999/approve/").status_code == 404
    )


def test_no_mail_when_the_decision_is_refused(
    moderator, published_listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(moderator, published_listing, "approve").status_code == 409
    assert mail.outbox == []


def test_inactive_managers_get_no_mail(
    moderator, seller_coop, pending_listing, django_capture_on_commit_callbacks
):
    gone = MembershipFactory(cooperative=seller_coop, role=Role.OWNER).user
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, pending_listing, "approve")
    assert mail.outbox == []
