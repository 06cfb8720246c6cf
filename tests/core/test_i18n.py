"""Languages as people meet them: pages, the switcher, API errors, e-mail and prices."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from cooperatives import services as cooperative_services
from cooperatives.models import Role
from core.money import Money
from tests.conftest import client_for
from tests.factories import ListingFactory, UserFactory
from tests.frontend.ordering import place_order


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "lang", "words"),
    [
        ("es", "es", ["Catálogo", "Cooperativas", "Iniciar sesión", "Saltar al contenido"]),
        ("pt-BR", "pt-br", ["Catálogo", "Cooperativas", "Entrar", "Pular para o conteúdo"]),
        ("en-GB,en;q=0.8", "en", ["Catalogue", "Cooperatives", "Sign in", "Skip to content"]),
    ],
)
def test_pages_follow_the_browser_language(header, lang, words):
    page = Client().get("/", headers={"accept-language": header})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html
    assert page["Content-Language"] == lang


@pytest.mark.django_db
def test_the_switcher_works_without_signing_in_and_remembers_the_choice():
    browser = Client()
    page = browser.get("/")
    assert 'action="/i18n/setlang/"' in page.content.decode()
    switched = browser.post("/i18n/setlang/", {"language": "pt-br", "next": "/cooperatives/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/cooperatives/"
    assert "Pular para o conteúdo" in browser.get("/").content.decode()


def language_kept_after_choosing(user, language: str) -> str:  # type: ignore[no-untyped-def]
    """The person signs in on a browser of their own and picks `language` in the switcher; the
    language their account then keeps."""
    browser = Client()
    browser.force_login(user)
    browser.post("/i18n/setlang/", {"language": language, "next": "/"})
    user.refresh_from_db()
    return str(user.language)


@pytest.mark.django_db
def test_a_signed_in_person_keeps_their_language_on_every_device(seller_owner):
    assert language_kept_after_choosing(seller_owner, "es") == "es"  # on their phone

    laptop = Client()  # another browser, no language cookie, an English browser
    laptop.force_login(seller_owner)
    html = laptop.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Mis cooperativas" in html
    assert '<option value="es" lang="es" selected>' in html


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(seller_owner):
    assert language_kept_after_choosing(seller_owner, "xx") == ""


@pytest.mark.django_db
def test_api_errors_come_in_the_requested_language(seller_coop, seller_member):
    api = client_for(seller_member)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/"
    spanish = api.patch(url, {"city": "Rosario"}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 403
    assert spanish.json() == {
        "detail": "Solo titulares y administradores pueden editar esta cooperativa.",
        "code": "permission_denied",
    }
    english = api.patch(url, {"city": "Rosario"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Only owners and admins can edit this cooperative."


@pytest.mark.django_db
def test_validation_errors_come_in_the_requested_language(api):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "nobody@example.coop", "password": "wrong password"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="pt-BR",
    )
    assert response.status_code == 400
    assert "Não é possível entrar com este e-mail e senha." in str(response.json())


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_written_in_the_invitees_language(seller_coop, seller_owner):
    UserFactory(email="ana@example.coop", language="pt-br")
    cooperative_services.invitation_create(
        cooperative=seller_coop, email="ana@example.coop", role=Role.MEMBER, actor=seller_owner
    )
    (message,) = mail.outbox
    assert message.subject == f"Você foi convidado a participar de {seller_coop.name} no Minga"
    assert "Aceite o convite" in message.body


@pytest.mark.django_db(transaction=True)
def test_order_emails_go_to_each_member_in_their_own_language(
    seller_coop, seller_owner, buyer_coop, buyer_owner
):
    seller_owner.language = "pt-br"
    seller_owner.save()
    colleague = UserFactory(language="es")
    seller_coop.memberships.create(user=colleague, role=Role.MEMBER)
    listing = ListingFactory(cooperative=seller_coop, price_amount=125_000, currency="ARS", stock=9)
    order = place_order(buyer_owner, buyer_coop, listing, quantity=1)

    by_address = {message.to[0]: message for message in mail.outbox}
    portuguese = by_address[seller_owner.email]
    assert portuguese.subject == f"Novo pedido nº {order.pk} de {buyer_coop.name}"
    assert "Aceite ou recuse, por favor." in portuguese.body
    spanish = by_address[colleague.email]
    assert spanish.subject == f"Nuevo pedido n.º {order.pk} de {buyer_coop.name}"
    assert "ARS 1.250,00" in _plain(spanish.body)  # the code: "$" is six currencies
    english = by_address[buyer_owner.email]
    assert english.subject.startswith(f"Your order #{order.pk} to ")


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("pt_BR", 125_000, "BRL", "BRL 1.250,00"),
        ("pt-br", 125_050, "BRL", "BRL 1.250,50"),
        ("es", 125_000, "ARS", "ARS 1.250,00"),
        ("es", 125_000, "EUR", "EUR 1.250,00"),
        ("es", 7_500_000, "UYU", "UYU 75.000,00"),
        ("es", 125_000, "MXN", "MXN 1.250,00"),
        ("en", 125_000, "EUR", "EUR 1,250.00"),
        ("es", 1_250, "CLP", "CLP 1.250"),
        ("es", 1_250_500, "KWD", "KWD 1.250,500"),
    ],
)
def test_prices_are_written_for_the_reader_and_the_currency(language, amount, currency, expected):
    assert _plain(Money(amount, currency).format(language)) == expected


@pytest.mark.django_db
def test_the_order_page_writes_prices_and_dates_for_the_reader(
    seller_coop, buyer_coop, buyer_owner
):
    listing = ListingFactory(cooperative=seller_coop, price_amount=125_000, currency="BRL", stock=9)
    order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    browser = Client()
    browser.force_login(buyer_owner)
    html = _plain(
        browser.get(f"/orders/{order.pk}/", headers={"accept-language": "pt-BR"}).content.decode()
    )
    assert "BRL 1.250,00" in html
    with translation.override("pt-br"):
        placed = date_format(timezone.localtime(order.placed_at), "DATETIME_FORMAT")
    assert placed in html  # e.g. "27 de Novembro de 2026 às 13:40"


def test_users_language_field_accepts_the_offered_codes():
    assert User._meta.get_field("language").max_length >= len("pt-br")


@pytest.mark.django_db
def test_a_token_client_reads_errors_in_its_saved_language(seller_coop, seller_member):
    """The saved language wins over Accept-Language for token clients, as for sessions."""
    from rest_framework.test import APIClient

    from accounts.services import user_token

    seller_member.language = "es"
    seller_member.save()
    api = APIClient(HTTP_AUTHORIZATION=f"Token {user_token(user=seller_member)}")
    response = api.patch(
        f"/api/v1/cooperatives/{seller_coop.slug}/",
        {"city": "Rosario"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Solo titulares y administradores pueden editar esta cooperativa."
    )
    assert response["Content-Language"] == "es"
