import pytest
from django.test import Client

from cooperatives.state import VerificationStatus
from tests.factories import CooperativeFactory
from tests.frontend.helpers import browser_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def huella(seller_coop):  # type: ignore[no-untyped-def]
    seller_coop.description = "Tejemos mantas y ponchos en telar."
    seller_coop.description_language = "es"
    seller_coop.tax_id = "30-12345678-9"
    seller_coop.address = "Calle Falsa 123"
    seller_coop.is_recuperated = True
    seller_coop.verification_status = VerificationStatus.VERIFIED
    seller_coop.save()
    return seller_coop


def test_public_profile_shows_public_data_and_badges(client, huella, seller_owner):
    response = client.get(f"/cooperatives/{huella.slug}/")
    html = text(response)
    assert response.status_code == 200
    assert "Cooperativa Textil La Huella" in html
    assert '<div class="description" lang="es">' in html
    assert "Tejemos mantas" in html
    assert "Argentina" in html
    assert "badge-verified" in html and "badge-recuperated" in html


def test_outsiders_never_see_the_members_section(client, huella, seller_owner, outsider):
    for browser in (client, browser_for(outsider)):
        html = text(browser.get(f"/cooperatives/{huella.slug}/"))
        assert "members-only" not in html
        assert seller_owner.email not in html
        assert "30-12345678-9" not in html and "Calle Falsa" not in html


def test_members_see_members_and_private_details(huella, seller_owner, seller_member):
    html = text(browser_for(seller_member).get(f"/cooperatives/{huella.slug}/"))
    assert "members-only" in html
    assert seller_owner.email in html and seller_member.email in html
    assert "30-12345678-9" in html and "Calle Falsa 123" in html
    assert f"/my/cooperatives/{huella.slug}/edit/" not in html  # members do not edit


def test_managers_get_an_edit_link(huella, seller_admin):
    html = text(browser_for(seller_admin).get(f"/cooperatives/{huella.slug}/"))
    assert f"/my/cooperatives/{huella.slug}/edit/" in html


def test_a_suspended_cooperative_is_not_found_by_outsiders(client, huella, outsider, seller_member):
    huella.verification_status = VerificationStatus.SUSPENDED
    huella.save()
    assert client.get(f"/cooperatives/{huella.slug}/").status_code == 404
    assert browser_for(outsider).get(f"/cooperatives/{huella.slug}/").status_code == 404
    assert browser_for(seller_member).get(f"/cooperatives/{huella.slug}/").status_code == 200


def test_unknown_cooperative_is_a_friendly_404(client, db):
    response = client.get("/cooperatives/no-such-coop/")
    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_the_profile_shows_where_the_cooperative_is_with_its_flag(huella):
    huella.region = "Santa Fe"
    huella.city = "Rosario"
    huella.save()
    html = text(Client(headers={"accept-language": "pt-br"}).get(f"/cooperatives/{huella.slug}/"))
    label = html.split('<p class="region-label">', 1)[1].split("</p>", 1)[0]
    assert '<span class="flag" aria-hidden="true">\U0001f1e6\U0001f1f7</span>' in label
    assert "Rosario, Santa Fe, <strong>Argentina</strong>" in label
    brazilian = CooperativeFactory(name="Coop Sem Cidade", country="BR", city="", region="")
    other = text(Client(headers={"accept-language": "es"}).get(f"/cooperatives/{brazilian.slug}/"))
    assert "\U0001f1e7\U0001f1f7</span> <strong>Brasil</strong>" in other  # CLDR, in Spanish
