"""Moderation pages: the queue's tabs, the decision forms, conflicts of interest, the log; a 404
for anyone who does not moderate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperatives import services as cooperative_services
from cooperatives.state import VerificationStatus
from marketplace.state import ListingStatus
from moderation import services
from moderation.models import Appeal, ModerationAction, Report
from orders.models import Order
from tests.factories import ListingFactory, MembershipFactory, UserFactory
from tests.frontend.helpers import HTMX, browser_for, elements, messages_of, pdf_upload, text
from tests.frontend.ordering import place_order
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

QUEUE_PAGES = [
    "/moderation/",
    "/moderation/reports/",
    "/moderation/verification/",
    "/moderation/appeals/",
    "/moderation/cooperatives/",
    "/moderation/log/",
]


@pytest.fixture
def pending(seller_coop):  # type: ignore[no-untyped-def]
    return ListingFactory(
        cooperative=seller_coop,
        title="Remeras de algodón",
        status=ListingStatus.PENDING_REVIEW,
        published_at=None,
        submitted_at=timezone.now(),
    )


def decide(moderator, listing, decision, reason="", next_url="/moderation/"):  # type: ignore[no-untyped-def]
    return browser_for(moderator).post(
        f"/moderation/listings/{listing.pk}/decide/",
        {"decision": decision, "reason": reason, "next": next_url},
    )


# Who sees the pages --------------------------------------------------------------------------


def test_nobody_but_moderators_gets_the_moderation_pages(
    client, outsider, seller_owner, seller_coop, pending
):
    urls = [
        *QUEUE_PAGES,
        f"/moderation/listings/{pending.pk}/",
        f"/moderation/cooperatives/{seller_coop.slug}/",
    ]
    for browser in (client, browser_for(outsider), browser_for(seller_owner)):
        for url in urls:
            assert browser.get(url).status_code == 404, url
    posts = [
        (f"/moderation/listings/{pending.pk}/decide/", {"decision": "approve"}),
        (f"/moderation/cooperatives/{seller_coop.slug}/decide/", {"decision": "verify"}),
        ("/moderation/reports/1/resolve/", {"outcome": "dismissed"}),
        ("/moderation/appeals/1/resolve/", {"outcome": "upheld", "note": "x"}),
    ]
    for url, data in posts:
        assert browser_for(outsider).post(url, data).status_code == 404, url
    pending.refresh_from_db()
    assert pending.status == ListingStatus.PENDING_REVIEW
    assert not ModerationAction.objects.exists()


def test_moderators_see_every_tab_and_the_menu_link(moderator):
    browser = browser_for(moderator)
    for url in QUEUE_PAGES:
        response = browser.get(url)
        assert response.status_code == 200, url
        current = [a for tag, a in elements(text(response)).tags if a.get("aria-current")]
        assert any(a.get("href") == url for a in current), url
    assert 'href="/moderation/"' in text(browser.get("/"))


# Listings ------------------------------------------------------------------------------------


def test_the_listing_queue_shows_the_seller_and_its_record(moderator, other_mod, pending):
    earlier = ListingFactory(cooperative=pending.cooperative)
    services.listing_suspend(listing=earlier, actor=other_mod, reason="Fotos ajenas.")
    html = text(browser_for(moderator).get("/moderation/"))
    assert "1 listing" in html and "Remeras de algodón" in html
    assert "Cooperativa Textil La Huella" in html
    assert "The seller had 1 rejection or suspension before." in html
    assert "Approve and publish" in html and "Reject" in html
    assert "Reinstate" not in html  # not from pending review


def test_approve_from_the_queue(moderator, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(moderator, pending, "approve")
    assert response["Location"] == "/moderation/"
    assert messages_of(response) == ["“Remeras de algodón” is approved and published."]
    pending.refresh_from_db()
    assert pending.status == ListingStatus.PUBLISHED
    assert "Nothing here. The queue is clear." in text(browser_for(moderator).get("/moderation/"))


def test_a_rejection_needs_a_reason(moderator, pending):
    response = decide(moderator, pending, "reject", reason="   ")
    assert messages_of(response) == ["Give a reason: the cooperative will read it."]
    pending.refresh_from_db()
    assert pending.status == ListingStatus.PENDING_REVIEW
    response = decide(moderator, pending, "reject", reason="Las fotos no son propias.")
    pending.refresh_from_db()
    assert pending.status == ListingStatus.REJECTED
    assert pending.status_reason == "Las fotos no son propias."


def test_a_decision_the_status_does_not_allow_is_a_message(moderator, pending):
    response = decide(moderator, pending, "reinstate")
    assert messages_of(response) == ["Cannot reinstate a listing whose status is “Pending review”."]


def test_decisions_update_the_queue_in_place_with_htmx(moderator, pending):
    browser = browser_for(moderator)
    html = text(browser.get("/moderation/"))
    region = next(a for tag, a in elements(html).tags if a.get("id") == "queue")
    assert (region["hx-select"], region["hx-select-oob"]) == ("#queue", "#messages")
    assert f'hx-post="/moderation/listings/{pending.pk}/decide/"' in html
    response = browser.post(
        f"/moderation/listings/{pending.pk}/decide/",
        {"decision": "approve", "next": "/moderation/"},
        follow=True,
        **HTMX,
    )
    assert "is approved and published" in text(response) and 'id="queue"' in text(response)


def test_a_moderator_in_the_cooperative_cannot_decide(seller_coop, pending):
    conflicted = make_moderator(name="Conflicted")
    MembershipFactory(user=conflicted, cooperative=seller_coop)
    browser = browser_for(conflicted)
    html = text(browser.get("/moderation/"))
    assert "You are a member of this cooperative: another moderator decides." in html
    assert f"/moderation/listings/{pending.pk}/decide/" not in html
    response = decide(conflicted, pending, "approve")
    assert messages_of(response) == [
        "You are a member of this listing's cooperative: another moderator decides."
    ]
    pending.refresh_from_db()
    assert pending.status == ListingStatus.PENDING_REVIEW


def test_suspend_and_reinstate_a_published_listing(moderator, seller_coop):
    listing = ListingFactory(cooperative=seller_coop, title="Bolsas")
    browser = browser_for(moderator)
    html = text(browser.get(f"/moderation/listings/{listing.pk}/"))
    assert "Suspend" in html and "Approve and publish" not in html
    decide(moderator, listing, "suspend", reason="Producto prohibido.")
    html = text(browser.get("/moderation/?status=suspended"))
    assert "Bolsas" in html and "Producto prohibido." in html
    decide(moderator, listing, "reinstate")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    record = text(browser.get(f"/moderation/listings/{listing.pk}/"))
    assert "Listing suspended" in record and "Listing reinstated" in record


def test_next_must_stay_on_the_site(moderator, pending):
    response = decide(moderator, pending, "approve", next_url="https://evil.example/")
    assert response["Location"] == f"/moderation/listings/{pending.pk}/"


# Reports -------------------------------------------------------------------------------------


def test_reports_are_grouped_and_closed_together(moderator, seller_coop, outsider):
    listing = ListingFactory(cooperative=seller_coop, title="Miel pura")
    for reporter, reason in ((outsider, "misleading"), (UserFactory(), "fraud")):
        services.report_create(actor=reporter, listing=listing, reason=reason, details="Es jarabe.")
    browser = browser_for(moderator)
    html = text(browser.get("/moderation/reports/"))
    assert "1 reported item" in html and "2 reports" in html
    assert "Misleading (1)" in html and "Fraud or scam (1)" in html
    first = Report.objects.order_by("pk").first()
    response = browser.post(
        f"/moderation/reports/{first.pk}/resolve/",
        {"outcome": "dismissed", "note": "Análisis adjunto.", "next": "/moderation/reports/"},
        follow=True,
    )
    assert "2 report(s) on “Miel pura” closed; each reporter is told." in text(response)
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert "No reports here." in text(response)
    assert "Análisis adjunto." in text(browser.get("/moderation/reports/?status=dismissed"))


def test_a_report_needs_an_outcome(moderator, seller_coop, outsider):
    services.report_create(actor=outsider, cooperative=seller_coop, reason="not_a_cooperative")
    report = Report.objects.get()
    response = browser_for(moderator).post(f"/moderation/reports/{report.pk}/resolve/", {})
    assert messages_of(response) == ["Choose an outcome."]
    report.refresh_from_db()
    assert report.status == "open"


# Verification and cooperatives ---------------------------------------------------------------


def test_verify_a_cooperative_from_its_request(moderator, seller_coop, seller_owner):
    cooperative_services.verification_request_submit(
        cooperative=seller_coop, actor=seller_owner, documents=[pdf_upload()], note="Estatuto"
    )
    document = seller_coop.verification_requests.get().documents.get()
    browser = browser_for(moderator)
    html = text(browser.get("/moderation/verification/"))
    assert "1 request waiting" in html and "Estatuto" in html
    link = f"/api/v1/cooperatives/{seller_coop.slug}/verification/documents/{document.pk}/"
    assert f'href="{link}"' in html
    assert browser.get(link).status_code == 200  # moderators download it
    response = browser.post(
        f"/moderation/cooperatives/{seller_coop.slug}/decide/",
        {"decision": "verify", "next": "/moderation/verification/"},
        follow=True,
    )
    assert "Cooperativa Textil La Huella is verified." in text(response)
    assert "No verification requests are waiting." in text(response)
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == VerificationStatus.VERIFIED


def test_suspending_a_cooperative_flags_its_open_orders(
    moderator, seller_coop, buyer_coop, buyer_owner
):
    order = place_order(buyer_owner, buyer_coop, ListingFactory(cooperative=seller_coop))
    browser = browser_for(moderator)
    response = browser.post(
        f"/moderation/cooperatives/{seller_coop.slug}/decide/",
        {"decision": "suspend", "reason": "Documentos falsos."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/moderation/cooperatives/{seller_coop.slug}/"
    assert "its open orders are flagged" in text(response)
    assert "Cooperative suspended" in text(response) and "Documentos falsos." in text(response)
    assert Order.objects.get(pk=order.pk).is_flagged
    html = text(browser.get("/moderation/cooperatives/"))
    assert "Cooperativa Textil La Huella" in html  # suspended is the default filter
    assert "Needs a moderator" in text(browser.get(f"/orders/?cooperative={seller_coop.slug}"))


# Appeals -------------------------------------------------------------------------------------


@pytest.fixture
def other_mod(db):  # type: ignore[no-untyped-def]
    return make_moderator(name="Otra Moderadora")


@pytest.fixture
def appeal(pending, moderator, seller_owner):  # type: ignore[no-untyped-def]
    decision = services.listing_reject(listing=pending, actor=moderator, reason="Fotos ajenas.")
    return services.appeal_file(
        decision=decision, actor=seller_owner, statement="Las fotos son nuestras."
    )


def test_the_deciding_moderator_cannot_resolve_the_appeal(moderator, appeal):
    browser = browser_for(moderator)
    html = text(browser.get("/moderation/appeals/"))
    assert "Las fotos son nuestras." in html and "Fotos ajenas." in html
    assert "You took this decision: another moderator resolves its appeal." in html
    response = browser.post(
        f"/moderation/appeals/{appeal.pk}/resolve/", {"outcome": "overturned", "note": "Ok"}
    )
    assert messages_of(response) == [
        "You took this decision: another moderator resolves its appeal."
    ]


def test_another_moderator_overturns(other_mod, appeal, pending):
    browser = browser_for(other_mod)
    html = text(browser.get("/moderation/appeals/"))
    assert f'action="/moderation/appeals/{appeal.pk}/resolve/"' in html
    response = browser.post(
        f"/moderation/appeals/{appeal.pk}/resolve/",
        {"outcome": "overturned", "note": "", "next": "/moderation/appeals/"},
    )
    assert messages_of(response) == ["Give a reason: the cooperative will read it."]
    response = browser.post(
        f"/moderation/appeals/{appeal.pk}/resolve/",
        {"outcome": "overturned", "note": "Verificamos la sesión de fotos."},
        follow=True,
    )
    assert "The appeal is granted: the decision is reversed." in text(response)
    pending.refresh_from_db()
    assert pending.status == ListingStatus.PUBLISHED
    assert Appeal.objects.get().status == "overturned"
    assert "Verificamos la sesión de fotos." in text(
        browser.get("/moderation/appeals/?status=overturned")
    )


# The log -------------------------------------------------------------------------------------


def test_the_log_filters_by_moderator_action_and_cooperative(
    moderator, other_mod, pending, seller_coop
):
    services.listing_reject(listing=pending, actor=moderator, reason="Fotos ajenas.")
    other = ListingFactory(title="Otra cosa")
    services.listing_suspend(listing=other, actor=other_mod, reason="Prohibido.")
    browser = browser_for(moderator)
    html = text(browser.get("/moderation/log/"))
    assert "2 entries" in html and "Fotos ajenas." in html and "Prohibido." in html
    html = text(browser.get(f"/moderation/log/?moderator={other_mod.pk}"))
    assert "1 entry" in html and "Prohibido." in html and "Fotos ajenas." not in html
    html = text(browser.get("/moderation/log/?action=listing_reject"))
    assert "1 entry" in html and "Fotos ajenas." in html
    html = text(browser.get(f"/moderation/log/?cooperative={seller_coop.slug}"))
    assert "1 entry" in html and "Remeras de algodón" in html
    today = timezone.localdate().isoformat()
    html = text(browser.get(f"/moderation/log/?created_after={today}&created_before={today}"))
    assert "2 entries" in html
    html = text(browser.get("/moderation/log/?created_before=2001-01-01"))
    assert "No entry matches these filters." in html


# Query counts --------------------------------------------------------------------------------


def _count(browser, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def _fill_queues(moderator, number):  # type: ignore[no-untyped-def]
    """One more item in each tab: a listing to review, a report, a verification, an appeal."""
    ListingFactory(
        status=ListingStatus.PENDING_REVIEW, submitted_at=timezone.now(), published_at=None
    )
    services.report_create(actor=UserFactory(), listing=ListingFactory(), reason="misleading")
    rejected = ListingFactory(status=ListingStatus.PENDING_REVIEW)
    decision = services.listing_reject(listing=rejected, actor=moderator, reason=f"No {number}")
    owner = MembershipFactory(cooperative=rejected.cooperative, role="owner").user
    services.appeal_file(decision=decision, actor=owner, statement="Revisen.")
    cooperative_services.verification_request_submit(
        cooperative=rejected.cooperative, actor=owner, documents=[pdf_upload()]
    )


def test_queue_queries_do_not_grow_with_the_queue(moderator, other_mod):
    browser = browser_for(moderator)
    _fill_queues(other_mod, 0)
    browser.get("/moderation/")
    few = {url: _count(browser, url) for url in QUEUE_PAGES}
    for number in range(1, 7):
        _fill_queues(other_mod, number)
    many = {url: _count(browser, url) for url in QUEUE_PAGES}
    assert many == few
    assert max(few.values()) <= 8
