"""Catalogue search. PostgreSQL: weighted full-text search on the trigger-maintained
`search_vector` column, accent- and case-insensitive, with typos corrected by trigram
similarity against the dictionary of title words (migration 0006).
Other databases: every word must appear (accent-folded) in the title, description, category or
seller name. See docs/catalogue.md."""

import hashlib
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.cache import cache
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
# Shorter words would be "corrected" into half the dictionary.
MIN_CORRECTED_LENGTH = 4
MAX_CORRECTIONS = 5


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

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        alias = compiler.query.get_initial_alias()
        # A list: Django's search lookups add these params to lists.
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def clean_query(raw: str) -> str:
    return " ".join(raw[:MAX_QUERY_LENGTH].split()[:MAX_QUERY_WORDS])


def uses_full_text(connection: Any = None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def _full_text_query(text: str) -> SearchQuery:
    """The words in every configuration (websearch syntax): each config stems its own way."""
    query = SearchQuery(text, config=SEARCH_CONFIGS[0], search_type="websearch")
    for config in SEARCH_CONFIGS[1:]:
        query = query | SearchQuery(text, config=config, search_type="websearch")
    return query


def _corrections(words: list[str]) -> dict[str, str]:
    """For each word close to title words, the tsquery of its alternatives (see
    `_corrections_read`). Kept in the cache for SEARCH_CORRECTION_CACHE_SECONDS: a word new in the
    titles becomes a correction within that time."""
    seconds = settings.SEARCH_CORRECTION_CACHE_SECONDS
    keys = {
        word: "search:corrected:" + hashlib.sha256(word.encode()).hexdigest()[:32] for word in words
    }
    found: dict[str, str] = {}
    if seconds:
        cached = cache.get_many(list(keys.values()))
        found = {word: cached[key] for word, key in keys.items() if key in cached}
    missing = [word for word in words if word not in found]
    if missing:
        looked_up = _corrections_read(missing)
        for word in missing:
            found[word] = looked_up.get(word, "")
        if seconds:
            cache.set_many({keys[word]: found[word] for word in missing}, seconds)
    return {word: alternatives for word, alternatives in found.items() if alternatives}


def _corrections_read(words: list[str]) -> dict[str, str]:
    """The word and its MAX_CORRECTIONS closest title words (trigram similarity), each in every
    configuration, OR-ed with every lexeme once. The same matches and ranks as OR-ing
    `_full_text_query` of each (ts_rank counts a repeated lexeme once), but the planner
    estimates the repeats as independent words: at 1,000,000 listings the 16 terms of
    "organik" looked common enough for a sequential scan hoping for early matches (95-160 ms);
    its 5 distinct lexemes take the full-text index."""
    with default_connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.word,
                   string_agg(DISTINCT '(' || alternative.query::text || ')', ' | ')
              FROM unnest(%s::text[]) AS q(word)
             CROSS JOIN LATERAL (
                   SELECT w.word FROM marketplace_search_word w
                    WHERE w.word %% q.word
                    ORDER BY similarity(w.word, q.word) DESC, w.word
                    LIMIT %s) AS close
             CROSS JOIN LATERAL unnest(ARRAY[q.word, close.word]) AS written(word)
             CROSS JOIN unnest(%s::text[]) AS config(name)
             CROSS JOIN LATERAL websearch_to_tsquery(config.name::regconfig, written.word)
                   AS alternative(query)
             WHERE numnode(alternative.query) > 0
             GROUP BY q.word
            """,
            [words, MAX_CORRECTIONS, list(SEARCH_CONFIGS)],
        )
        return dict(cursor.fetchall())


class WrittenQuery(SearchQuery):
    """A tsquery given as text whose lexemes are normalised already, taken as it is."""

    template = "%(expressions)s::tsquery"


def _corrected_query(text: str) -> SearchQuery | None:
    """Every word must match, as itself (stemmed) or as one of its close dictionary words."""
    words = [word for word in (fold(text) or "").split() if word.isalnum()]
    corrections = _corrections([word for word in words if len(word) >= MIN_CORRECTED_LENGTH])
    if not corrections:
        return None
    query: SearchQuery | None = None
    for word in words:
        alternatives = (
            WrittenQuery(corrections[word]) if word in corrections else _full_text_query(word)
        )
        query = alternatives if query is None else query & alternatives
    return query


def _matching(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    return queryset.alias(search_document=ListingDocument()).filter(search_document=query)


def _candidate_ids(queryset: QuerySet, query: SearchQuery) -> list[int]:
    """The first SEARCH_CANDIDATE_LIMIT matches (+1, to tell that there were more), as ids: a
    literal list lets the ranking query read just those rows by primary key (as a subquery, the
    planner hashed it and scanned the whole table around it)."""
    limit = settings.SEARCH_CANDIDATE_LIMIT
    return list(_matching(queryset.order_by(), query).values_list("pk", flat=True)[: limit + 1])


def _postgres_search(queryset: QuerySet, text: str) -> QuerySet:
    """Full-text search; when the words match nothing, each word is replaced by its closest
    title words, so a typo still finds the listing ("organik" → "orgánico").

    Only a bounded set of candidates is ranked: the first SEARCH_CANDIDATE_LIMIT matches found.
    Ranking reads every candidate's document, so without the bound a common word costs in
    proportion to the catalogue (25,000 matches at 1,000,000 listings); with it, about the same
    as in a small catalogue. The count of a search stops at the same limit (see
    marketplace.pagination)."""
    query = _full_text_query(text)
    ids = _candidate_ids(queryset, query)
    if not ids:
        corrected = _corrected_query(text)
        if corrected is not None:
            query = corrected
            ids = _candidate_ids(queryset, query)
    return queryset.filter(pk__in=ids).annotate(relevance=SearchRank(ListingDocument(), query))


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
