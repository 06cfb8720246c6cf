"""Catalogue search. PostgreSQL: weighted full-text search on the trigger-maintained
`search_vector` column plus trigram similarity on the title, both accent- and case-insensitive.
Other databases: every word must appear (accent-folded) in the title, description, category or
seller name. See docs/catalogue.md."""

import unicodedata
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection as default_connection
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

SEARCH_CONFIGS = ("minga_simple", "minga_spanish", "minga_portuguese", "minga_english")
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
# Shorter queries would match half the catalogue by trigram similarity alone.
MIN_TRIGRAM_QUERY_LENGTH = 4


def fold(text: str | None) -> str | None:
    """Lower-case and strip accents: 'Café Orgánico' → 'cafe organico'."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite gets a `minga_unaccent` that folds accents and case, so the same SQL runs on both."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("minga_unaccent", 1, fold, deterministic=True)


class Fold(Func):
    """minga_unaccent(lower(expr)): the expression the trigram index is built on."""

    template = "minga_unaccent(lower(%(expressions)s))"
    output_field = CharField()


class ListingDocument(Expression):
    """The PostgreSQL-only `search_vector` column of the listing table (see migration 0004)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def clean_query(raw: str) -> str:
    return " ".join(raw[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_WORDS])


def uses_full_text(connection: Any = None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def _postgres_search(queryset: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, config=SEARCH_CONFIGS[0], search_type="websearch")
    for config in SEARCH_CONFIGS[1:]:
        query = query | SearchQuery(text, config=config, search_type="websearch")
    folded = fold(text) or ""
    matches = Q(search_document=query)
    relevance: Any = SearchRank(ListingDocument(), query)
    if len(folded) >= MIN_TRIGRAM_QUERY_LENGTH:
        matches |= Q(folded_title__trigram_word_similar=folded)
        relevance = relevance + TrigramWordSimilarity(Value(folded), Fold("title"))
    return (
        queryset.alias(search_document=ListingDocument(), folded_title=Fold("title"))
        .filter(matches)
        .annotate(relevance=relevance)
    )


def _fallback_search(queryset: QuerySet, text: str) -> QuerySet:
    words = [word for word in (fold(text) or "").split() if word]
    in_title = Q()
    queryset = queryset.alias(
        folded_title=Fold("title"),
        folded_description=Fold("description"),
        folded_category=Fold("category__name"),
        folded_category_es=Fold("category__name_es"),
        folded_category_pt=Fold("category__name_pt_br"),
        folded_seller=Fold("cooperative__name"),
    )
    for word in words:
        queryset = queryset.filter(
            Q(folded_title__contains=word)
            | Q(folded_description__contains=word)
            | Q(folded_category__contains=word)
            | Q(folded_category_es__contains=word)
            | Q(folded_category_pt__contains=word)
            | Q(folded_seller__contains=word)
        )
        in_title &= Q(folded_title__contains=word)
    starts = Q(folded_title__startswith=words[0]) if words else Q()
    return queryset.annotate(
        relevance=Case(
            When(in_title & starts, then=Value(3.0)),
            When(in_title, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )


def search_listings(queryset: QuerySet, raw: str) -> QuerySet:
    """Listings matching `raw`, annotated with `relevance` (higher is better)."""
    text = clean_query(raw)
    if not text:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    if uses_full_text(default_connection):
        return _postgres_search(queryset, text)
    return _fallback_search(queryset, text)


RELEVANCE_ORDER = (F("relevance").desc(), F("published_at").desc(nulls_last=True), F("id").desc())
