"""Reports: anyone signed in files them, moderators triage them grouped by item."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from rest_framework.throttling import ScopedRateThrottle

from moderation import services
from moderation.models import ModerationAction, Report
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"
QUEUE = "/api/v1/moderation/reports/"


def report(user, **body):
    return client_for(user).post(REPORTS, body, format="json")


def test_a_signed_in_user_reports_a_listing(buyer_member, published_listing):
    response = report(
        buyer_member, listing=published_listing.pk, reason="misleading", details="Not organic."
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["listing"], body["reason"], body["status"]) == (
        published_listing.pk,
        "misleading",
        "open",
    )
    assert Report.objects.get().reporter == buyer_member


def test_a_signed_in_user_reports_a_cooperative(outsider, seller_coop):
    response = report(outsider, cooperative=seller_coop.slug, reason="not_a_cooperative")
    assert response.status_code == 201
    assert response.json()["cooperative"] == seller_coop.slug


def test_anonymous_visitors_cannot_report(api, published_listing):
    response = api.post(
        REPORTS, {"listing": published_listing.pk, "reason": "fraud"}, format="json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "fraud"}, "non_field_errors"),
        ({"reason": "spam", "listing": "LISTING"}, "reason"),
        ({"reason": "other", "listing": "LISTING"}, "details"),
        ({"reason": "fraud", "listing": "LISTING", "cooperative": "COOP"}, "non_field_errors"),
        ({"reason": "fraud", "listing": "DRAFT"}, "listing"),
        ({"reason": "fraud", "cooperative": "SUSPENDED"}, "cooperative"),
    ],
)
def test_bad_reports_are_400(outsider, published_listing, seller_coop, body, field):
    draft = ListingFactory(status="draft")
    suspended = CooperativeFactory(name="Suspendida", verification_status="suspended")
    values = {
        "LISTING": published_listing.pk,
        "DRAFT": draft.pk,
        "COOP": seller_coop.slug,
        "SUSPENDED": suspended.slug,
    }
    body = {key: values.get(value, value) for key, value in body.items()}
    response = report(outsider, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Report.objects.exists()


def test_the_api_and_the_pages_refuse_the_same_listings_with_the_same_words(outsider):
    """One rule (moderation.services.report_create): a listing out of the catalogue (a draft, or
    published by a suspended cooperative) is refused alike by the API and the pages' service,
    and an unknown id reads the same, so the answer does not tell that a hidden listing exists."""
    suspended = CooperativeFactory(name="Suspendida", verification_status="suspended")
    hidden = [
        ListingFactory(status="draft"),
        ListingFactory(status="published", cooperative=suspended),
    ]
    expected = ["Only listings in the catalogue can be reported."]
    for listing in hidden:
        assert report(outsider, listing=listing.pk, reason="fraud").json() == {"listing": expected}
        with pytest.raises(ValidationError) as refused:
            services.report_create(actor=outsider, reason="fraud", listing=listing)
        assert refused.value.message_dict == {"listing": expected}
    assert report(outsider, listing=999_999, reason="fraud").json() == {"listing": expected}
    assert not Report.objects.exists()


def test_one_open_report_per_person_and_item(outsider, published_listing):
    assert report(outsider, listing=published_listing.pk, reason="fraud").status_code == 201
    again = report(outsider, listing=published_listing.pk, reason="offensive")
    assert again.status_code == 400
    assert "already reported" in again.json()["listing"][0]
    assert Report.objects.count() == 1


def test_report_floods_hit_the_throttle(outsider, buyer_member, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"reports": "3/hour"})
    listings = ListingFactory.create_batch(4)
    codes = [report(outsider, listing=item.pk, reason="fraud").status_code for item in listings]
    assert codes == [201, 201, 201, 429]
    assert Report.objects.filter(reporter=outsider).count() == 3
    # The limit is per person: somebody else may still report.
    assert report(buyer_member, listing=listings[3].pk, reason="fraud").status_code == 201


def test_the_configured_rate_allows_ten_reports_an_hour(outsider):
    listings = ListingFactory.create_batch(11)
    codes = [report(outsider, listing=item.pk, reason="fraud").status_code for item in listings]
    assert codes == [201] * 10 + [429]


def test_moderators_see_reports_grouped_by_item(moderator, published_listing, seller_coop):
    reporters = UserFactory.create_batch(3)
    for user, reason in zip(reporters, ["fraud", "fraud", "misleading"], strict=True):
        services.report_create(actor=user, listing=published_listing, reason=reason)
    services.report_create(actor=reporters[0], cooperative=seller_coop, reason="not_a_cooperative")
    response = client_for(moderator).get(QUEUE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    listing_group, cooperative_group = body["results"]
    assert listing_group["listing"]["id"] == published_listing.pk
    assert listing_group["count"] == 3
    assert listing_group["reasons"] == {"fraud": 2, "misleading": 1}
    assert len(listing_group["reports"]) == 3
    assert listing_group["report_id"] == listing_group["reports"][0]["id"]
    assert cooperative_group["cooperative"]["slug"] == seller_coop.slug
    assert cooperative_group["count"] == 1


def test_report_queue_query_count_is_constant(moderator, assert_constant_queries):
    def fill(count):
        for listing in ListingFactory.create_batch(count):
            for user in UserFactory.create_batch(2):
                services.report_create(actor=user, listing=listing, reason="fraud")

    assert_constant_queries(client_for(moderator), QUEUE, fill, limit=10, rows=8)


def test_resolving_one_report_closes_its_group_and_tells_the_reporters(
    moderator, published_listing, django_capture_on_commit_callbacks
):
    reporters = UserFactory.create_batch(2)
    first, second = (
        services.report_create(actor=user, listing=published_listing, reason="fraud")
        for user in reporters
    )
    other = services.report_create(actor=reporters[0], listing=ListingFactory(), reason="fraud")
    decision = services.listing_suspend(listing=published_listing, actor=moderator, reason="Fraud.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(
            f"{QUEUE}{first.pk}/resolve/",
            {"outcome": "action_taken", "note": "Suspended.", "decision": decision.pk},
            format="json",
        )
    assert response.status_code == 200
    assert sorted(item["id"] for item in response.json()) == [first.pk, second.pk]
    for item in (first, second):
        item.refresh_from_db()
        assert (item.status, item.outcome, item.decision, item.resolved_by) == (
            "resolved",
            "action_taken",
            decision,
            moderator,
        )
    other.refresh_from_db()
    assert other.status == "open"
    logged = ModerationAction.objects.filter(action="report_resolve")
    assert sorted(logged.values_list("report_id", flat=True)) == [first.pk, second.pk]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in reporters)
    assert "took action" in mail.outbox[0].body
    # Resolving again is a conflict.
    again = client_for(moderator).post(f"{QUEUE}{first.pk}/resolve/", {"outcome": "dismissed"})
    assert again.status_code == 409


def test_dismissing_a_report(moderator, seller_coop, outsider):
    item = services.report_create(actor=outsider, cooperative=seller_coop, reason="offensive")
    response = client_for(moderator).post(
        f"{QUEUE}{item.pk}/resolve/", {"outcome": "dismissed", "note": "Nothing wrong."}
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.status, item.outcome) == ("dismissed", "dismissed")
    assert ModerationAction.objects.get().action == "report_dismiss"
    assert client_for(moderator).get(QUEUE).json()["count"] == 0
    assert client_for(moderator).get(QUEUE, {"status": "dismissed"}).json()["count"] == 1


def test_a_linked_decision_must_be_about_the_reported_item(moderator, published_listing, outsider):
    item = services.report_create(actor=outsider, listing=published_listing, reason="fraud")
    unrelated = services.listing_suspend(listing=ListingFactory(), actor=moderator, reason="x")
    for body in (
        {"outcome": "action_taken", "decision": unrelated.pk},
        {"outcome": "dismissed", "decision": unrelated.pk},
        {"outcome": "ignored"},
    ):
        response = client_for(moderator).post(f"{QUEUE}{item.pk}/resolve/", body, format="json")
        assert response.status_code == 400, body
    item.refresh_from_db()
    assert item.status == "open"


def test_a_cooperative_suspension_counts_as_action_on_its_listing(
    moderator, published_listing, seller_coop, outsider
):
    item = services.report_create(actor=outsider, listing=published_listing, reason="fraud")
    decision = services.cooperative_suspend(
        cooperative=seller_coop, actor=moderator, reason="Fraud."
    )
    response = client_for(moderator).post(
        f"{QUEUE}{item.pk}/resolve/",
        {"outcome": "action_taken", "decision": decision.pk},
        format="json",
    )
    assert response.status_code == 200


def test_conflicted_moderator_cannot_resolve_reports_on_their_cooperative(
    conflicted_moderator, published_listing, outsider
):
    item = services.report_create(actor=outsider, listing=published_listing, reason="fraud")
    group = client_for(conflicted_moderator).get(QUEUE).json()["results"][0]
    assert group["can_decide"] is False
    response = client_for(conflicted_moderator).post(
        f"{QUEUE}{item.pk}/resolve/", {"outcome": "dismissed"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open"
