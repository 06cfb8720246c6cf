"""The catalogue page's shell (header, menu, footer) is rendered once per kind of reader and
filled in with each reader's own values (frontend/page_shell.py): every reader must get exactly
the page the template writes for them."""

import re

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from frontend import page_shell
from orders.models import Cart, CartLine
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory, UserFactory

TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+')


def _full(request, template, context, content, title=None):  # type: ignore[no-untyped-def]
    """What the page was before the shell was kept: the template rendered whole."""
    whole = {**context, "shared_content": mark_safe(content), "page_title": title}
    return render_to_string(template, whole, request)


def _pages(user, path: str, language: str, monkeypatch) -> list[bytes]:  # type: ignore[no-untyped-def]
    pages = []
    for render in (
        _full,
        page_shell.render_page,
        page_shell.render_page,
    ):  # then from the kept shell
        monkeypatch.setattr(page_shell, "render_page", render)
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200
        pages.append(TOKEN.sub(rb"\1T", response.content))
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "pt-br"])
def test_each_reader_gets_the_page_the_template_writes(seller_coop, monkeypatch, language):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, status="published")
    page_shell._SHELLS.clear()
    odd = MembershipFactory(user=UserFactory(name='Ana <b>"O\'Hara"</b> & co')).user
    cart = Cart.objects.create(cooperative=odd.memberships.get().cooperative)
    CartLine.objects.create(
        cart=cart,
        listing=listing,
        seller=seller_coop,
        title=listing.title,
        unit=listing.unit,
        quantity=1,
        unit_price_amount=listing.price_amount,
        currency=listing.currency,
        added_by=odd,
    )
    moderator = UserFactory(name="Mod")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    plain = MembershipFactory().user
    for user in (None, odd, moderator, plain):
        for path in ("/catalogue/", '/catalogue/?page=1&x="<y>', "/catalogue/?min_price=abc"):
            before, first, kept = _pages(user, path, language, monkeypatch)
            assert first == before, (user, path)
            assert kept == before, (user, path)
            if user is odd:  # their name escaped, their cart's line counted
                assert b"Ana &lt;b&gt;&quot;O&#x27;Hara&quot;&lt;/b&gt; &amp; co" in kept
                assert b'<span class="count" aria-hidden="true">1</span>' in kept


@pytest.mark.django_db
def test_a_page_with_messages_shows_them_once(buyer_member, seller_coop):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, status="published")
    client = Client()
    client.force_login(buyer_member)
    client.post(reverse("frontend:listing-report", args=[listing.pk]), {})  # no reason: a message
    first = client.get("/catalogue/").content.decode()
    second = client.get("/catalogue/").content.decode()
    assert "Choose a reason for the report." in first
    assert "Choose a reason for the report." not in second


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "pt-br"])
def test_a_cooperatives_page_gets_its_own_title_in_the_kept_shell(  # type: ignore[no-untyped-def]
    seller_coop, buyer_owner, monkeypatch, language
):
    """One shell serves every cooperative's page: each gets its own name as the title, escaped
    as the template escapes it, and otherwise the page the template writes."""
    page_shell._SHELLS.clear()
    odd = CooperativeFactory(name='Ana <b>"O\'Hara"</b> & co')
    ListingFactory(cooperative=odd, status="published")
    for user in (None, buyer_owner):
        for cooperative in (seller_coop, odd):
            path = f"/cooperatives/{cooperative.slug}/"
            before, first, kept = _pages(user, path, language, monkeypatch)
            assert first == before, (user, path)
            assert kept == before, (user, path)
        assert b"<title>Ana &lt;b&gt;&quot;O&#x27;Hara&quot;&lt;/b&gt; &amp; co \xc2\xb7 " in kept


@pytest.mark.django_db
def test_a_cooperatives_page_with_messages_shows_them_under_its_title(  # type: ignore[no-untyped-def]
    buyer_member, seller_coop
):
    listing = ListingFactory(cooperative=seller_coop, status="published")
    client = Client()
    client.force_login(buyer_member)
    client.post(reverse("frontend:listing-report", args=[listing.pk]), {})  # no reason: a message
    first = client.get(f"/cooperatives/{seller_coop.slug}/").content.decode()
    second = client.get(f"/cooperatives/{seller_coop.slug}/").content.decode()
    assert "Choose a reason for the report." in first
    assert "Choose a reason for the report." not in second
    for page in (first, second):
        assert f"<title>{escape(seller_coop.name)} · " in page and "minga-shell" not in page
