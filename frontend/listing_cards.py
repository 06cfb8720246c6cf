"""The listing cards of the catalogue page and of a seller's profile, written from the stored
cards (marketplace/cards.py) and what is read live with them (the seller, the stock): one query
for a page's listings, no model instance and no template per card. Rendering 24 cards through
`_cards.html`'s template, over listings and their images read as models, was most of the time a
catalogue page took to build (docs/catalogue.md, "Listing cards on the pages").

A card is written in the language active when it is rendered, like a template; its badges come
from the one badge template, rendered once per kind of seller and language.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.money import Money
from frontend.templatetags.minga import country_name, initials
from marketplace import selectors
from marketplace.cards import CardRow, Seller
from marketplace.models import unit_name


@lru_cache(maxsize=64)
def _badges(language: str, verification_status: str, is_recuperated: bool) -> SafeString:
    """frontend/includes/badges.html for a seller in this state, in this language."""
    seller = {
        "is_verified": verification_status == "verified",
        "verification_status": verification_status,
        "is_suspended": verification_status == "suspended",
        "is_recuperated": is_recuperated,
    }
    with translation.override(language):
        badges = render_to_string("frontend/includes/badges.html", {"cooperative": seller})
    return SafeString(badges)  # nosec B703  # our template's output, autoescaped


@dataclass(frozen=True)
class _Link:
    """Links to one kind of page, reversed once a page: the URL with `arg` in its place.
    (Reversing two URLs per card was a tenth of a built catalogue page.)"""

    before: str
    after: str

    MARK: ClassVar[str] = "9876543210"  # an id and a slug alike

    @classmethod
    def reversed(cls, name: str) -> "_Link":
        before, after = reverse(name, args=[cls.MARK]).split(cls.MARK)
        return cls(before, after)

    def to(self, arg: object) -> str:
        return f"{self.before}{arg}{self.after}"


@dataclass(frozen=True)
class _Links:
    listing: _Link
    profile: _Link


class ListingCard:
    """One listing of a page; `{{ card }}` in a template writes it (`__html__`)."""

    def __init__(self, row: CardRow, links: _Links) -> None:
        self.row = row
        self.pk = row.pk
        self.links = links

    def __html__(self) -> str:
        row = self.row
        return _card_html(
            translation.get_language() or settings.LANGUAGE_CODE,
            row.pk,
            row.text,
            row.stock == 0,
            row.seller,
            self.links,
        )

    def __str__(self) -> str:
        return self.__html__()


@lru_cache(maxsize=2048)
def _card_html(
    language: str, pk: int, card: str, sold_out: bool, seller: Seller, links: _Links
) -> SafeString:
    """A card's HTML from everything it shows (its stored card, whether it is sold out, its
    seller as read live, the language, the links), written once per process for the same
    inputs, as a template is compiled once: writing 24 cards was most of a built page."""
    _thumbnail, prices, own, cover = card.split("\n", 3)
    fields = json.loads("{" + own + "}")
    title = fields["title"]
    price = json.loads(prices).get(language) or Money(
        fields["price_amount"], fields["currency"]
    ).format(language)
    return format_html(
        '<li class="card listing-card">{}<div><h3 class="listing-title"><a href="{}">{}</a>'
        '</h3><p class="price">{} <span class="meta">{}</span></p>{}{}</div></li>',
        _picture(title, cover),
        links.listing.to(pk),
        title,
        price,
        _("per %(unit)s") % {"unit": unit_name(fields["unit"])},
        format_html(
            '<p class="meta"><a href="{}">{}</a> · {}</p><p class="badges">{}</p>',
            links.profile.to(seller.slug),
            seller.name,
            country_name(seller.country),
            _badges(language, seller.verification_status, seller.is_recuperated),
        ),
        format_html('<p class="meta">{}</p>', _("Sold out")) if sold_out else "",
    )


def _picture(title: str, cover: str) -> SafeString:
    url, alt_text = json.loads(cover)
    if not url:
        return format_html(
            '<span class="listing-placeholder" aria-hidden="true">{}</span>', initials(title)
        )
    return format_html(
        '<img src="{}" alt="{}" width="160" height="160" loading="lazy">', url, alt_text or title
    )


def listing_cards(ids: list[int]) -> list[ListingCard]:
    """A page's cards by listing id (`CappedPaginator`'s `fetch_rows`)."""
    links = _Links(_Link.reversed("frontend:listing"), _Link.reversed("frontend:profile"))
    return [ListingCard(row, links) for row in selectors.listing_card_rows(ids)]
