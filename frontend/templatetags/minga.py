"""Small template filters and tags of the pages."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale

from cooperatives.selectors import membership_list_for_user
from core.money import Money
from core.reference import country_name as reference_country_name
from core.timezones import format_when
from marketplace.models import Category, unit_name, unit_quantity
from marketplace.selectors import category_label
from orders.selectors import cart_line_count_for_user

register = template.Library()

# Words that do not make an initial: "Cooperativa de Trabajo La Huella" is "LH", not "CDTLH".
SKIPPED_WORDS = frozenset(
    [
        "cooperativa",
        "cooperative",
        "coop",
        "co-op",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "da",
        "do",
        "das",
        "dos",
        "e",
        "y",
        "and",
        "of",
        "the",
        "trabajo",
        "trabalho",
        "ltda",
        "limitada",
    ]
)


@register.filter
def initials(name: str) -> str:
    """Up to two initials of a cooperative's distinctive words, for a logo placeholder."""
    words = [word for word in str(name).split() if word[:1].isalpha()]
    distinctive = [word for word in words if word.lower() not in SKIPPED_WORDS] or words
    return "".join(word[0].upper() for word in distinctive[:2])


@register.filter
def country_name(code: str) -> str:
    """The country's name in the reader's language (CLDR via Babel)."""
    if not code:
        return ""
    return reference_country_name(code, get_language() or settings.LANGUAGE_CODE)


@register.filter
def flag(code: str) -> str:
    """The country's flag as an emoji (two regional indicator letters); empty for a non-code."""
    code = str(code or "").upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


@register.filter
def money(amount: int | None, currency: str) -> str:
    """Minor units of a currency, formatted for the reader's language (CLDR via Babel). A
    negative amount starts with the minus sign (U+2212), which a line never breaks after: a
    hyphen-minus let a narrow phone column put "-" on one line and "ARS 500.000,00" on the next."""
    if amount is None or not currency:
        return ""
    text = Money(int(amount), currency).format(_locale())
    return f"\u2212{text[1:]}" if text.startswith("-") else text


def amounts(currency: str, *values: int | None) -> list[str]:
    """Several amounts of one currency, each formatted as `money` does (a table's figures)."""
    return [money(value, currency) for value in values]


@register.filter
def units(quantity: int, unit: str) -> str:
    """`3|units:"lot"` → "3 lotes": a quantity with its unit in the reader's language."""
    return unit_quantity(int(quantity), str(unit))


@register.filter
def unit_label(unit: str) -> str:
    """A unit code ("piece") as the reader names it ("pieza", "peça")."""
    return unit_name(str(unit))


@register.filter
def category_name(category: Category | None) -> str:
    """A category's name in the reader's language (stored per language on the category)."""
    return category_label(category) if category is not None else ""


@register.filter
def percent_bps(basis_points: int) -> str:
    """150 basis points as "1.5 %" (or "1,5 %"), in the reader's language."""
    return f"{format_decimal(Decimal(int(basis_points)) / 100, locale=_locale())} %"


def reader_cart_count(request: Any) -> int:
    """Lines waiting in the carts of the request's reader's cooperatives, read once per request."""
    if not hasattr(request, "_minga_cart_count"):
        request._minga_cart_count = cart_line_count_for_user(request.user)
    return int(request._minga_cart_count)


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """Lines waiting in the carts of the viewer's cooperatives: one query per page, for the menu."""
    request = context.get("request")
    if request is None:
        return 0
    return reader_cart_count(request)


@register.simple_tag(takes_context=True)
def buyer_memberships(context: template.Context, listing: object) -> dict[str, object]:
    """The viewer's memberships that may order `listing` (all but its seller's), and whether it is
    their own cooperative's. Read once per request: many add-to-cart forms cost one query."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"memberships": [], "is_own": False}
    if not hasattr(request, "_minga_memberships"):
        request._minga_memberships = list(membership_list_for_user(request.user))
    seller_id = getattr(listing, "cooperative_id", None)
    mine = request._minga_memberships
    return {
        "memberships": [m for m in mine if m.cooperative_id != seller_id],
        "is_own": any(m.cooperative_id == seller_id for m in mine),
    }


@register.filter
def when(value: datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """A date and time in the reader's zone, always with the zone: `{{ event.created_at|when }}`."""
    return format_when(value, format_name)


class ListOrEmptyNode(template.Node):
    def __init__(
        self,
        items: template.base.FilterExpression,
        names: list[str],
        options: dict[str, template.base.FilterExpression],
        body: template.NodeList,
    ) -> None:
        self.items, self.names, self.options, self.body = items, names, options, body

    def render(self, context: template.Context) -> str:
        options = {key: value.resolve(context) for key, value in self.options.items()}
        items = list(self.items.resolve(context) or [])
        if not items:
            css = options.get("empty_class", "empty")
            return format_html('<p class="{}">{}</p>', css, options.get("empty", ""))
        lines = []
        for item in items:
            values = [item] if len(self.names) == 1 else list(item)
            with context.push(dict(zip(self.names, values, strict=True))):
                lines.append(self.body.render(context))
        css = options.get("list_class", "plain")
        return format_html('<ul class="{}">{}</ul>', css, mark_safe("".join(lines)))  # noqa: S308  # nosec B308 B703 (rendered by our templates, autoescaped)


@register.tag
def list_or_empty(parser: template.base.Parser, token: template.base.Token) -> ListOrEmptyNode:
    """`{% list_or_empty rows as row empty=_("No rows.") %}<li>…</li>{% endlist_or_empty %}`:
    a list of `rows`, the body once per row (`as key,value` unpacks a pair), or, with none, the
    `empty` sentence in a paragraph. Options: `list_class` ("plain"), `empty_class` ("empty")."""
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes `items as name` and then key=value options"
        )
    options = {}
    for bit in bits[4:]:
        key, _sep, value = bit.partition("=")
        if key not in {"empty", "list_class", "empty_class"}:
            raise template.TemplateSyntaxError(f"{bits[0]} does not take {key!r}")
        options[key] = parser.compile_filter(value)
    body = parser.parse(("endlist_or_empty",))
    parser.delete_first_token()
    return ListOrEmptyNode(parser.compile_filter(bits[1]), bits[3].split(","), options, body)


HEADING_KINDS = {"num", "hidden"}


def _column_heading(text: Any, kind: str) -> str:
    if kind == "hidden":
        text = format_html('<span class="visually-hidden">{}</span>', text)
    if kind == "num":
        return format_html('<th scope="col" class="num">{}</th>', text)
    return format_html('<th scope="col">{}</th>', text)


class TableHeadNode(template.Node):
    def __init__(self, headings: list[tuple[template.base.FilterExpression, str]]) -> None:
        self.headings = headings

    def render(self, context: template.Context) -> str:
        cells = ((_column_heading(text.resolve(context), kind),) for text, kind in self.headings)
        return format_html("<thead><tr>{}</tr></thead>", format_html_join("", "{}", cells))


@register.tag
def table_head(parser: template.base.Parser, token: template.base.Token) -> TableHeadNode:
    """`{% table_head _("Order") num=_("Total") hidden=_("Actions") %}`: the `<thead>` of a
    table whose rows the template writes, one `<th scope="col">` a heading; `num=` a column of
    figures (aligned right), `hidden=` a heading only screen readers read."""
    headings = []
    for bit in token.split_contents()[1:]:
        kind, sep, text = bit.partition("=")
        if not sep or kind not in HEADING_KINDS:
            kind, text = "", bit
        headings.append((parser.compile_filter(text), kind))
    return TableHeadNode(headings)
