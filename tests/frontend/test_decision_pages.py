"""The seller's page of moderation decisions and the appeal form."""

import pytest

from marketplace.state import ListingStatus
from moderation import services
from moderation.models import Appeal
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, messages_of, text
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejection(seller_coop, moderator):  # type: ignore[no-untyped-def]
    listing = ListingFactory(
        cooperative=seller_coop,
        title="Remeras",
        status=ListingStatus.PENDING_REVIEW,
        published_at=None,
    )
    return services.listing_reject(listing=listing, actor=moderator, reason="Fotos ajenas.")


def url(cooperative) -> str:  # type: ignore[no-untyped-def]
    return f"/cooperatives/{cooperative.slug}/decisions/"


def test_the_seller_reads_the_decision_and_appeals_it(
    seller_coop, seller_admin, rejection, moderator
):
    browser = browser_for(seller_admin)
    html = text(browser.get(url(seller_coop)))
    assert "Listing rejected: Remeras" in html and "Fotos ajenas." in html
    assert moderator.name not in html  # sellers are not told who decided
    assert f'action="/cooperatives/{seller_coop.slug}/decisions/{rejection.pk}/appeal/"' in html
    assert "You can appeal until" in html
    response = browser.post(
        f"{url(seller_coop)}{rejection.pk}/appeal/",
        {"statement": "Las fotos son nuestras: adjuntamos la sesión."},
        follow=True,
    )
    assert "Your appeal is with the moderators." in text(response)
    appeal = Appeal.objects.get()
    assert (appeal.decision, appeal.appellant) == (rejection, seller_admin)
    html = text(response)
    assert "Las fotos son nuestras" in html and "Waiting for a moderator." in html
    assert "/appeal/" not in html  # once per decision


def test_the_outcome_is_shown(seller_coop, seller_owner, rejection):
    appeal = services.appeal_file(decision=rejection, actor=seller_owner, statement="Son propias.")
    services.appeal_resolve(
        appeal=appeal,
        actor=make_moderator(name="Otra"),
        outcome="overturned",
        note="Comprobamos la autoría.",
    )
    html = text(browser_for(seller_owner).get(url(seller_coop)))
    assert "Overturned: the decision was reversed" in html
    assert "Comprobamos la autoría." in html
    assert "Appeal overturned the decision" in html


def test_an_empty_statement_is_a_form_error(seller_coop, seller_owner, rejection):
    response = browser_for(seller_owner).post(
        f"{url(seller_coop)}{rejection.pk}/appeal/", {"statement": " "}
    )
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert not Appeal.objects.exists()


def test_members_read_but_do_not_appeal(seller_coop, seller_member, rejection):
    browser = browser_for(seller_member)
    html = text(browser.get(url(seller_coop)))
    assert "Fotos ajenas." in html and "/appeal/" not in html
    assert "Owners and admins of the cooperative can appeal until" in html
    response = browser.post(f"{url(seller_coop)}{rejection.pk}/appeal/", {"statement": "Por favor"})
    assert response.status_code == 302
    assert messages_of(response) == [
        "Only owners and admins of the cooperative concerned can appeal."
    ]
    assert not Appeal.objects.exists()


def test_a_late_appeal_is_refused_with_a_message(seller_coop, seller_owner, rejection, settings):
    settings.MODERATION_APPEAL_WINDOW_DAYS = 0
    html = text(browser_for(seller_owner).get(url(seller_coop)))
    assert "/appeal/" not in html
    response = browser_for(seller_owner).post(
        f"{url(seller_coop)}{rejection.pk}/appeal/", {"statement": "Tarde"}
    )
    deadline = rejection.created_at.strftime("%Y-%m-%d")
    assert messages_of(response) == [f"The time to appeal this decision ended on {deadline}."]


def test_outsiders_get_404(seller_coop, outsider, buyer_owner, rejection):
    for user in (outsider, buyer_owner):
        browser = browser_for(user)
        assert browser.get(url(seller_coop)).status_code == 404
        response = browser.post(f"{url(seller_coop)}{rejection.pk}/appeal/", {"statement": "x"})
        assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_decision_of_another_cooperative_is_404(seller_coop, buyer_coop, buyer_owner, rejection):
    response = browser_for(buyer_owner).post(
        f"{url(buyer_coop)}{rejection.pk}/appeal/", {"statement": "x"}
    )
    assert response.status_code == 404


def test_no_decisions_yet(seller_coop, seller_member):
    html = text(browser_for(seller_member).get(url(seller_coop)))
    assert "The moderators have not decided anything about your cooperative." in html


def test_the_members_page_links_here(seller_coop, seller_member):
    html = text(browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/"))
    assert f'href="{url(seller_coop)}"' in html
    assert messages_of(browser_for(seller_member).get(url(seller_coop))) == []
