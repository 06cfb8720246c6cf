"""Small template filters of the pages."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from core.reference import country_name as reference_country_name

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
