"""Cooperative verification and suspension by moderators."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from cooperatives.models import VerificationDocument, VerificationRequest
from moderation.models import ModerationAction
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory

pytestmark = pytest.mark.django_db


def decide(user, cooperative, decision, **body):
    return client_for(user).post(
        f"/api/v1/moderation/cooperatives/{cooperative.slug}/{decision}/", body, format="json"
    )


@pytest.fixture
def verification_request(seller_coop, seller_owner):
    seller_coop.verification_status = "pending"
    seller_coop.save()
    request = VerificationRequest.objects.create(
        cooperative=seller_coop, submitted_by=seller_owner, note="Estatuto y matrícula INAES."
    )
    document = VerificationDocument(
        request=request, original_name="estatuto.pdf", content_type="application/pdf", size=9
    )
    document.file.save("document", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return request


def test_verification_queue_lists_pending_requests_with_their_documents(
    moderator, verification_request, seller_coop
):
    response = client_for(moderator).get("/api/v1/moderation/verification-requests/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["cooperative"]["slug"] == seller_coop.slug
    assert item["note"] == "Estatuto y matrícula INAES."
    (document,) = item["documents"]
    assert document["original_name"] == "estatuto.pdf"
    download = client_for(moderator).get(document["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n"


def test_verify_approves_the_request_and_shows_the_badge(
    moderator, verification_request, seller_coop, seller_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator, seller_coop, "verify")
    assert response.status_code == 200
    assert (response.json()["from_status"], response.json()["to_status"]) == ("pending", "verified")
    seller_coop.refresh_from_db()
    assert seller_coop.is_verified and seller_coop.verified_at is not None
    verification_request.refresh_from_db()
    assert verification_request.status == "approved"
    assert verification_request.decided_by == moderator
    assert verification_request.decided_at is not None
    profile = client_for(seller_owner).get(f"/api/v1/cooperatives/{seller_coop.slug}/").json()
    assert profile["is_verified"] is True
    (message,) = mail.outbox
    assert message.to == [seller_owner.email]
    assert "verified" in message.subject


def test_reject_needs_a_reason_and_closes_the_request(moderator, verification_request, seller_coop):
    assert decide(moderator, seller_coop, "reject").status_code == 400
    response = decide(moderator, seller_coop, "reject", reason="The statute is not legible.")
    assert response.status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == "unverified"
    verification_request.refresh_from_db()
    assert verification_request.status == "rejected"
    assert verification_request.decision_reason == "The statute is not legible."
    assert (
        not client_for(moderator).get("/api/v1/moderation/verification-requests/").json()["results"]
    )


def test_reject_without_a_pending_request_is_409(moderator, seller_coop):
    response = decide(moderator, seller_coop, "reject", reason="No.")
    assert response.status_code == 409
    assert not ModerationAction.objects.exists()


def test_suspension_hides_the_cooperative_and_reinstatement_brings_it_back(
    moderator, seller_coop, outsider, seller_member
):
    url = f"/api/v1/cooperatives/{seller_coop.slug}/"
    assert decide(moderator, seller_coop, "suspend").status_code == 400
    assert decide(moderator, seller_coop, "suspend", reason="Not a cooperative.").status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.is_suspended
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(seller_member).get(url).status_code == 200
    assert decide(moderator, seller_coop, "suspend", reason="Again.").status_code == 409
    assert decide(moderator, seller_coop, "reinstate").status_code == 200
    assert client_for(outsider).get(url).status_code == 200
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "cooperative_suspend",
        "cooperative_reinstate",
    ]


def test_suspension_closes_a_pending_verification_request(
    moderator, verification_request, seller_coop
):
    decide(moderator, seller_coop, "suspend", reason="Fraud reports confirmed.")
    verification_request.refresh_from_db()
    assert verification_request.status == "rejected"
    assert verification_request.decision_reason == "Fraud reports confirmed."


def test_suspension_leaves_listings_untouched(moderator, seller_coop, published_listing):
    """Listings disappear through the cooperative's status; they get their own status back as is."""
    decide(moderator, seller_coop, "suspend", reason="Fraud.")
    published_listing.refresh_from_db()
    assert published_listing.status == "published"


def test_suspension_flags_open_orders_for_a_person_and_cancels_none(
    moderator, seller_coop, seller_owner, buyer_coop, buyer_owner
):
    from orders.models import Order
    from tests.orders.conftest import act, place_order

    listing = ListingFactory(cooperative=seller_coop, stock=10)
    open_order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    declined = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    assert act(seller_owner, declined["id"], "decline", reason="No stock.").status_code == 200

    decide(moderator, seller_coop, "suspend", reason="Fraud.")

    flagged = Order.objects.get(pk=open_order["id"])
    assert flagged.is_flagged and flagged.status == "placed"
    assert "suspended" in flagged.flag_reason
    assert flagged.events.filter(action="flag", actor=moderator).exists()
    assert not Order.objects.get(pk=declined["id"]).is_flagged


def test_conflicted_moderator_cannot_decide_on_their_cooperative(conflicted_moderator, seller_coop):
    other = CooperativeFactory(name="Otra Cooperativa")
    assert decide(conflicted_moderator, seller_coop, "verify").status_code == 403
    assert decide(conflicted_moderator, other, "verify").status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == "unverified"


def test_unknown_cooperative_is_404(moderator):
    assert (
        client_for(moderator).post("/api/v1/moderation/cooperatives/nope/verify/").status_code
        == 404
    )


def test_verification_queue_query_count_is_constant(moderator, assert_constant_queries):
    def fill(count):
        for _ in range(count):
            cooperative = CooperativeFactory(verification_status="pending")
            request = VerificationRequest.objects.create(cooperative=cooperative)
            VerificationDocument.objects.create(
                request=request, original_name="a.pdf", content_type="application/pdf", size=1
            )
            ListingFactory(cooperative=cooperative)

    url = "/api/v1/moderation/verification-requests/"
    assert_constant_queries(client_for(moderator), url, fill, limit=10, rows=8)


@pytest.mark.parametrize(
    ("before", "after"),
    [("verified", "verified"), ("unverified", "unverified"), ("pending", "unverified")],
)
def test_reinstatement_gives_back_the_status_the_suspension_took_and_no_more(
    moderator, seller_coop, before, after
):
    """The verified badge is a promise: reinstating an unverified cooperative must not grant it."""
    seller_coop.verification_status = before
    seller_coop.save()
    decide(moderator, seller_coop, "suspend", reason="Reports under review.")
    assert decide(moderator, seller_coop, "reinstate").status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == after
    reinstated = ModerationAction.objects.get(action="cooperative_reinstate")
    assert (reinstated.from_status, reinstated.to_status) == ("suspended", after)
