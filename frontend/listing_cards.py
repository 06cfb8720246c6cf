"""The listing cards of the catalogue page and of a seller's profile, written from the stored
cards (marketplace/cards.py) and what is read live with them (the seller, the stock): one query
for a page's listings, no model instance and no template per card. Rendering 24 cards through
`_cards.html`'s template, over listings and their images read as models, was most of the time a
catalogue page took to build (docs/catalogue.md, "Listing cards on the pages").

A card is written in the language active when it is rendered, like a template; its badges come
from the one badge template, rendered once per kind of seller and language.
"""

import json
from functools import lru_cache

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


class _Link:
    """A page's links to one kind of page, reversed once: the URL with `arg` in its place.
    (Reversing two URLs per card was a tenth of a built catalogue page.)"""

    MARK = "9876543210"  # an id and a slug alike

    def __init__(self, name: str) -> None:
        self.before, self.after = reverse(name, args=[self.MARK]).split(self.MARK)

    def to(self, arg: object) -> str:
        return f"{self.before}{arg}{self.after}"


class _Links:
    def __init__(self) -> None:
        self.listing = _Link("frontend:listing")
        self.profile = _Link("frontend:profile")


class ListingCard:
    """One listing of a page; `{{ card }}` in a template writes it (`__html__`)."""

    def __init__(self, row: CardRow, links: _Links) -> None:
        self.row = row
        self.pk = row.pk
        self.links = links

    def _picture(self, title: str, cover: str) -> SafeString:
        url, alt_text = json.loads(cover)
        if not url:
            return format_html(
                '<span class="listing-placeholder" aria-hidden="true">{}</span>', initials(title)
            )
        return format_html(
            '<img src="{}" alt="{}" width="160" height="160" loading="lazy">',
            url,
            alt_text or title,
        )

    def _seller(self, seller: Seller, language: str) -> SafeString:
        return format_html(
            '<p class="meta"><a href="{}">{}</a> · {}</p><p class="badges">{}</p>',
            self.links.profile.to(seller.slug),
            seller.name,
            country_name(seller.country),
            _badges(language, seller.verification_status, seller.is_recuperated),
        )

    def __html__(self) -> str:
        _thumbnail, prices, own, cover = self.row.lines()
        fields = json.loads("{" + own + "}")
        title = fields["title"]
        language = translation.get_language() or settings.LANGUAGE_CODE
        price = json.loads(prices).get(language) or Money(
            fields["price_amount"], fields["currency"]
        ).format(language)
        return format_html(
            '<li class="card listing-card">{}<div><h3 class="listing-title"><a href="{}">{}</a>'
            '</h3><p class="price">{} <span class="meta">{}</span></p>{}{}</div></li>',
            self._picture(title, cover),
            self.links.listing.to(self.pk),
            title,
            price,
            _("per %(unit)s") % {"unit": unit_name(fields["unit"])},
            self._seller(self.row.seller, language),
            format_html('<p class="meta">{}</p>', _("Sold out")) if self.row.stock == 0 else "",
        )

    def __str__(self) -> str:
        return self.__html__()


def listing_cards(ids: list[int]) -> list[ListingCard]:
    """A page's cards by listing id (`CappedPaginator`'s `fetch_rows`)."""
    links = _Links()
    return [ListingCard(row, links) for row in selectors.listing_card_rows(ids)]
