"""Appeals: once per decision, by the cooperative's owners and admins, resolved by another moderator."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Listing
from moderation import services
from moderation.models import Appeal, ModerationAction
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

APPEALS = "/api/v1/appeals/"
QUEUE = "/api/v1/moderation/appeals/"


@pytest.fixture
def rejection(pending_listing, moderator):
    return services.listing_reject(listing=pending_listing, actor=moderator, reason="Stock photos.")


@pytest.fixture
def suspension(seller_coop, moderator):
    return services.cooperative_suspend(cooperative=seller_coop, actor=moderator, reason="Fraud.")


def appeal(user, decision, statement="The photos are ours; here is the shoot."):
    return client_for(user).post(
        APPEALS, {"action": decision.pk, "statement": statement}, format="json"
    )


def resolve(user, item, outcome, note="Reviewed the evidence."):
    return client_for(user).post(
        f"{QUEUE}{item.pk}/resolve/", {"outcome": outcome, "note": note}, format="json"
    )


@pytest.mark.parametrize("persona", ["seller_owner", "seller_admin"])
def test_owners_and_admins_appeal_a_rejection(request, persona, rejection):
    user = request.getfixturevalue(persona)
    response = appeal(user, rejection)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["decision"]["id"] == rejection.pk
    assert body["decision"]["reason"] == "Stock photos."
    filed = Appeal.objects.get()
    assert (filed.appellant, filed.decided_by, filed.cooperative) == (
        user,
        rejection.actor,
        rejection.listing.cooperative,
    )
    log = ModerationAction.objects.get(action="appeal_file")
    assert (log.actor, log.appeal, log.listing) == (user, filed, rejection.listing)


@pytest.mark.parametrize("persona", ["seller_member", "outsider", "buyer_owner", "other_moderator"])
def test_others_cannot_appeal(request, persona, rejection):
    response = appeal(request.getfixturevalue(persona), rejection)
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_one_appeal_per_decision(seller_owner, seller_admin, rejection):
    assert appeal(seller_owner, rejection).status_code == 201
    again = appeal(seller_admin, rejection)
    assert again.status_code == 409
    assert again.json()["code"] == "already_appealed"
    assert "already appealed" in again.json()["detail"]
    assert Appeal.objects.count() == 1


def test_only_rejections_and_suspensions_can_be_appealed(seller_owner, moderator, pending_listing):
    approval = services.listing_approve(listing=pending_listing, actor=moderator)
    response = appeal(seller_owner, approval)
    assert response.status_code == 409
    assert response.json()["code"] == "not_appealable"


def test_a_statement_is_required(seller_owner, rejection):
    assert appeal(seller_owner, rejection, statement="  ").status_code == 400


def test_a_superseded_decision_cannot_be_appealed(seller_owner, moderator, rejection):
    Listing.objects.filter(pk=rejection.listing_id).update(status="pending_review")
    response = appeal(seller_owner, rejection)
    assert response.status_code == 409
    assert response.json()["code"] == "decision_not_in_force"


def test_the_appeal_period_ends(seller_owner, rejection, settings, monkeypatch):
    settings.MODERATION_APPEAL_WINDOW_DAYS = 30
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr("moderation.services.timezone.now", lambda: later)
    response = appeal(seller_owner, rejection)
    assert response.status_code == 409
    assert response.json()["code"] == "appeal_window_closed"


def test_the_seller_sees_decisions_and_whether_they_can_be_appealed(
    seller_member, seller_coop, rejection, outsider
):
    response = client_for(seller_member).get(
        "/api/v1/decisions/", {"cooperative": seller_coop.slug}
    )
    assert response.status_code == 200
    (decision,) = response.json()["results"]
    assert decision["id"] == rejection.pk
    assert decision["reason"] == "Stock photos."
    assert decision["is_appealable"] is True
    assert decision["appeal"] is None
    assert "actor" not in decision
    other = client_for(outsider).get("/api/v1/decisions/", {"cooperative": seller_coop.slug})
    assert other.status_code == 404


def test_moderator_who_decided_cannot_resolve_the_appeal(moderator, seller_owner, rejection):
    appeal(seller_owner, rejection)
    filed = Appeal.objects.get()
    item = client_for(moderator).get(QUEUE).json()["results"][0]
    assert item["can_decide"] is False
    response = resolve(moderator, filed, "overturned")
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.status == "open"


def test_conflicted_moderator_cannot_resolve_the_appeal(
    conflicted_moderator, seller_owner, rejection
):
    appeal(seller_owner, rejection)
    response = resolve(conflicted_moderator, Appeal.objects.get(), "upheld")
    assert response.status_code == 403


def test_another_moderator_overturns_a_rejection_and_the_listing_is_published(
    other_moderator, seller_owner, seller_coop, rejection, django_capture_on_commit_callbacks
):
    appeal(seller_owner, rejection)
    filed = Appeal.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = resolve(other_moderator, filed, "overturned", note="The photos are original.")
    assert response.status_code == 200
    assert response.json()["status"] == "overturned"
    assert response.json()["resolved_by"]["id"] == other_moderator.pk
    listing = Listing.objects.get(pk=rejection.listing_id)
    assert listing.status == "published"
    log = ModerationAction.objects.get(action="appeal_overturn")
    assert (log.actor, log.from_status, log.to_status, log.appeal) == (
        other_moderator,
        "rejected",
        "published",
        filed,
    )
    (message,) = mail.outbox
    assert message.to == [seller_owner.email]
    assert "accepted" in message.subject
    assert "The photos are original." in message.body
    outcome = client_for(seller_owner).get(APPEALS, {"cooperative": seller_coop.slug}).json()
    assert outcome["results"][0]["status"] == "overturned"
    assert outcome["results"][0]["resolution_note"] == "The photos are original."
    again = resolve(other_moderator, filed, "upheld")
    assert again.status_code == 409


def test_overturning_a_rejection_after_resubmission_publishes_it(
    other_moderator, seller_owner, rejection
):
    appeal(seller_owner, rejection)
    Listing.objects.filter(pk=rejection.listing_id).update(status="pending_review")
    assert resolve(other_moderator, Appeal.objects.get(), "overturned").status_code == 200
    assert Listing.objects.get(pk=rejection.listing_id).status == "published"


def test_overturn_is_refused_when_the_listing_moved_on(other_moderator, seller_owner, rejection):
    appeal(seller_owner, rejection)
    Listing.objects.filter(pk=rejection.listing_id).update(status="archived")
    response = resolve(other_moderator, Appeal.objects.get(), "overturned")
    assert response.status_code == 409
    assert Appeal.objects.get().status == "open"
    assert resolve(other_moderator, Appeal.objects.get(), "upheld").status_code == 200


def test_upholding_keeps_the_decision(other_moderator, seller_owner, rejection):
    appeal(seller_owner, rejection)
    response = resolve(other_moderator, Appeal.objects.get(), "upheld")
    assert response.status_code == 200
    assert Listing.objects.get(pk=rejection.listing_id).status == "rejected"
    log = ModerationAction.objects.get(action="appeal_uphold")
    assert (log.from_status, log.to_status) == ("", "")


def test_overturning_a_listing_suspension_reinstates_it(
    moderator, other_moderator, seller_owner, published_listing
):
    suspension = services.listing_suspend(listing=published_listing, actor=moderator, reason="x")
    appeal(seller_owner, suspension)
    assert resolve(other_moderator, Appeal.objects.get(), "overturned").status_code == 200
    published_listing.refresh_from_db()
    assert published_listing.status == "published"


def test_overturning_a_cooperative_suspension_reinstates_it(
    other_moderator, seller_owner, seller_coop, suspension
):
    assert appeal(seller_owner, suspension).status_code == 201
    assert resolve(other_moderator, Appeal.objects.get(), "overturned").status_code == 200
    seller_coop.refresh_from_db()
    assert not seller_coop.is_suspended
    assert not seller_coop.is_verified  # it was not verified when it was suspended


def test_overturning_a_verification_rejection_verifies(
    moderator, other_moderator, seller_owner, seller_coop
):
    seller_coop.verification_status = "pending"
    seller_coop.save()
    rejection = services.cooperative_reject(cooperative=seller_coop, actor=moderator, reason="x")
    appeal(seller_owner, rejection)
    assert resolve(other_moderator, Appeal.objects.get(), "overturned").status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.is_verified


def test_a_note_and_a_valid_outcome_are_required(other_moderator, seller_owner, rejection):
    appeal(seller_owner, rejection)
    filed = Appeal.objects.get()
    assert resolve(other_moderator, filed, "upheld", note="").status_code == 400
    assert resolve(other_moderator, filed, "maybe").status_code == 400


def test_moderators_queue_shows_open_appeals_with_who_decided(
    moderator, other_moderator, seller_owner, rejection
):
    appeal(seller_owner, rejection)
    response = client_for(other_moderator).get(QUEUE)
    (item,) = response.json()["results"]
    assert item["decided_by"]["id"] == moderator.pk
    assert item["appellant"]["id"] == seller_owner.pk
    assert item["can_decide"] is True
    assert client_for(other_moderator).get(QUEUE, {"status": "upheld"}).json()["results"] == []


def test_an_appealed_decision_is_no_longer_appealable(seller_owner, seller_coop, rejection):
    appeal(seller_owner, rejection)
    (decision,) = client_for(seller_owner).get("/api/v1/decisions/").json()["results"]
    assert decision["is_appealable"] is False
    assert decision["appeal"]["status"] == "open"


def test_members_list_their_cooperatives_appeals_only(seller_owner, buyer_owner, rejection):
    appeal(seller_owner, rejection)
    assert len(client_for(seller_owner).get(APPEALS).json()["results"]) == 1
    assert client_for(buyer_owner).get(APPEALS).json()["results"] == []


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("seller_owner", "/api/v1/decisions/"),
        ("seller_owner", APPEALS),
        ("other_moderator", QUEUE),
    ],
)
def test_appeal_and_decision_lists_keep_a_constant_query_count(
    request, persona, url, moderator, seller_coop, seller_owner, assert_constant_queries
):
    from tests.factories import ListingFactory

    def fill(count):
        for _ in range(count):
            listing = ListingFactory(cooperative=seller_coop, status="pending_review")
            decision = services.listing_reject(listing=listing, actor=moderator, reason="No.")
            services.appeal_file(decision=decision, actor=seller_owner, statement="Yes.")

    client = client_for(request.getfixturevalue(persona))
    assert_constant_queries(client, url, fill, limit=12, rows=8)
