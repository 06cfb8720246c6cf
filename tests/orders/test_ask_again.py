"""Ordering a quote's order again: its lines have no listing, so the order's `actions` offer
`ask_again` instead of `order_again`, and asking again sends the same seller a new request for
quotes filled in from the order."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from orders.selectors import order_request_again
from orders.services import rfq_award
from quotes import services as quote_services
from quotes.models import Rfq
from tests.conftest import client_for
from tests.factories import ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, elements, messages_of, text
from tests.orders.conftest import place_order
from tests.quotes.helpers import publish, terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted_order(buyer_coop, buyer_owner, seller_coop, seller_owner):  # type: ignore[no-untyped-def]
    """1000 brochures the seller quoted and the buyer awarded: an order of one free-text line."""
    rfq = publish(buyer_coop, buyer_owner, [seller_coop], delivery_place="Depósito de Goes")
    quote = quote_services.quote_submit(
        rfq=rfq, seller=seller_coop, actor=seller_owner, terms=terms(95_00)
    )
    [order] = rfq_award(rfq=rfq, actor=buyer_owner, awards=[(quote.versions.get().pk, None)])
    return order


def dates() -> dict[str, str]:
    return {
        "delivery_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "answers_due_at": (timezone.now() + timedelta(days=10)).isoformat(),
    }


def actions(user, order) -> list[str]:  # type: ignore[no-untyped-def]
    return client_for(user).get(f"/api/v1/orders/{order.pk}/").json()["actions"]


def ask_again(user, order, **body):  # type: ignore[no-untyped-def]
    url = f"/api/v1/orders/{order.pk}/ask-again/"
    return client_for(user).post(url, {**dates(), **body}, format="json")


def test_a_catalogue_order_offers_order_again_to_the_buyers_members_only(
    buyer_coop, buyer_owner, buyer_member, seller_owner, seller_coop
):
    order = place_order(buyer_owner, buyer_coop, ListingFactory(cooperative=seller_coop, stock=9))
    detail = client_for(buyer_member).get(f"/api/v1/orders/{order['id']}/").json()
    assert "order_again" in detail["actions"] and "ask_again" not in detail["actions"]
    seller_view = client_for(seller_owner).get(f"/api/v1/orders/{order['id']}/").json()
    assert "order_again" not in seller_view["actions"]


def test_a_quotes_order_offers_ask_again_to_the_buyers_managers(
    quoted_order, buyer_owner, buyer_admin, buyer_member, seller_owner
):
    assert "ask_again" in actions(buyer_owner, quoted_order)
    assert "ask_again" in actions(buyer_admin, quoted_order)
    assert "order_again" not in actions(buyer_owner, quoted_order)  # nothing for a cart
    assert not {"ask_again", "order_again"} & set(actions(buyer_member, quoted_order))
    assert not {"ask_again", "order_again"} & set(actions(seller_owner, quoted_order))


def test_asking_again_sends_the_seller_a_request_filled_in_from_the_order(
    quoted_order, buyer_owner, seller_coop, seller_owner, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_again(buyer_owner, quoted_order)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["quantity"], body["unit"]) == (
        "Impresión de 1000 folletos",
        1000,
        "unit",
    )
    assert body["visibility"] == "private" and body["delivery_place"] == "Depósito de Goes"
    assert body["specification"].startswith(f"Lines of order #{quoted_order.pk}:")
    assert "1000 unit: Folletos A5 color" in body["specification"]
    assert body["specification"].endswith("A5, color, papel reciclado")
    rfq = Rfq.objects.get(pk=body["id"])
    assert list(rfq.invited.all()) == [seller_coop] and rfq.created_by == buyer_owner
    assert [m.to for m in mail.outbox] == [[seller_owner.email]]
    # The seller sees it and can quote on it, as on any request it is asked.
    assert client_for(seller_owner).get(f"/api/v1/rfqs/{rfq.pk}/").status_code == 200


def test_what_the_buyer_changes_wins_and_bad_input_writes_nothing(quoted_order, buyer_owner):
    changed = ask_again(buyer_owner, quoted_order, quantity=2000, title="Folletos 2027")
    assert changed.status_code == 201
    assert (changed.json()["quantity"], changed.json()["title"]) == (2000, "Folletos 2027")
    before = Rfq.objects.count()
    past = ask_again(
        buyer_owner, quoted_order, answers_due_at=(timezone.now() - timedelta(days=1)).isoformat()
    )
    assert past.status_code == 400 and "answers_due_at" in past.json()
    missing = client_for(buyer_owner).post(
        f"/api/v1/orders/{quoted_order.pk}/ask-again/", {}, format="json"
    )
    assert missing.status_code == 400 and {"delivery_date", "answers_due_at"} <= set(missing.json())
    assert Rfq.objects.count() == before


def test_only_the_buyers_managers_ask_again_and_a_catalogue_order_is_a_409(
    quoted_order, buyer_member, seller_owner, outsider, buyer_owner, buyer_coop, seller_coop
):
    before = Rfq.objects.count()
    assert ask_again(buyer_member, quoted_order).status_code == 403
    assert ask_again(seller_owner, quoted_order).status_code == 403
    assert ask_again(outsider, quoted_order).status_code == 404
    catalogue = place_order(
        buyer_owner, buyer_coop, ListingFactory(cooperative=seller_coop, stock=5)
    )
    refused = client_for(buyer_owner).post(
        f"/api/v1/orders/{catalogue['id']}/ask-again/", dates(), format="json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "not_from_a_quote"
    assert Rfq.objects.count() == before


@pytest.mark.parametrize(
    ("language", "button", "published"),
    [
        ("es", "Pedir cotización otra vez a", "Tu pedido está publicado"),
        ("pt-br", "Pedir cotação de novo a", "Seu pedido foi publicado"),
    ],
)
def test_the_order_page_leads_to_the_request_form_filled_in(
    quoted_order, buyer_owner, seller_coop, buyer_coop, language, button, published
):
    browser = browser_for(buyer_owner)
    page = text(browser.get(f"/orders/{quoted_order.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    form_url = f"/my/cooperatives/{buyer_coop.slug}/rfqs/new/?order={quoted_order.pk}"
    assert button in page and form_url.replace("&", "&amp;") in page
    form = text(browser.get(form_url, HTTP_ACCEPT_LANGUAGE=language))
    assert 'value="Impresión de 1000 folletos"' in form
    assert "Folletos A5 color" in form and 'value="Depósito de Goes"' in form
    ticked = [
        attrs["value"]
        for tag, attrs in elements(form).tags
        if tag == "input" and attrs.get("name") == "invited" and "checked" in attrs
    ]
    assert ticked == [str(seller_coop.pk)]  # the seller asked, already chosen

    # Published as filled in: the buyer only picks the dates (and a unit of the form's list).
    filled = order_request_again(quoted_order).values() | {"unit": "piece"}
    days = {"delivery_date": 40, "answers_due": 10}
    filled |= {name: (timezone.localdate() + timedelta(n)).isoformat() for name, n in days.items()}
    filled |= {"visibility": "private", "invited": [str(seller_coop.pk)]}
    posted = browser.post(form_url, filled, HTTP_ACCEPT_LANGUAGE=language)
    assert posted.status_code == 302, text(posted)
    assert any(published in message for message in messages_of(posted))
    published = Rfq.objects.latest("pk")
    assert list(published.invited.all()) == [seller_coop]
    assert published.specification == filled["specification"]


def test_the_form_is_not_filled_in_from_someone_elses_order(quoted_order, buyer_admin, outsider):
    """Another cooperative's owner naming the order, or the buyer naming it under another of
    its cooperatives, get a 404: the form is filled in only for the order's own buyer."""
    elsewhere = MembershipFactory(user=outsider, role="owner").cooperative
    url = f"/my/cooperatives/{elsewhere.slug}/rfqs/new/?order={quoted_order.pk}"
    assert browser_for(outsider).get(url).status_code == 404
    MembershipFactory(user=buyer_admin, cooperative=elsewhere, role="admin")
    assert browser_for(buyer_admin).get(url).status_code == 404
    assert browser_for(buyer_admin).get(f"{url.split('?')[0]}?order=99999999999").status_code == 404
