"""Reads of the catalogue shared by the API, the pages and the admin. Each keeps its number of
queries constant whatever the number of listings it returns."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import translation

from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import is_moderator
from cooperatives.state import VerificationStatus
from core import statements
from marketplace import cards, permissions
from marketplace.models import CatalogueImport, Category, Listing, ListingEvent, ListingImage
from marketplace.search import RELEVANCE_ORDER, search_listings
from marketplace.state import ListingStatus

NEWEST_ORDER = ("-published_at", "-id")
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "-published_at": NEWEST_ORDER,
    "price_amount": ("price_amount", "id"),
    "-price_amount": ("-price_amount", "-id"),
}


def _with_related(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.select_related("cooperative", "category").prefetch_related(
        Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"))
    )


def _read_reader(user: Any) -> None:
    """What the catalogue asks of a signed-in reader, in one query kept on the user object:
    the cooperatives they belong to (with whether one is suspended) and their groups (whether
    they moderate). Every built catalogue request asks both; they were two queries."""
    if "_member_cooperative_ids" in user.__dict__:
        return
    with connection.cursor() as cursor:
        cursor.execute(_reader_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    # A membership always names its cooperative; a group row names none.
    user.remember_group_names(name for pk, name in rows if pk is None)
    user.__dict__["_member_cooperative_ids"] = [pk for pk, _status in rows if pk is not None]
    user.__dict__["_in_suspended_cooperative"] = any(
        pk is not None and status == VerificationStatus.SUSPENDED for pk, status in rows
    )


@lru_cache(maxsize=1)
def _reader_sql() -> str:
    """`_read_reader`'s statement, written by hand once: built by the ORM, the union cost
    more to compile on each request than to run."""
    membership, cooperative = Membership._meta, Cooperative._meta
    user_groups = get_user_model().groups.through._meta
    group = Group._meta
    return (
        f"SELECT m.cooperative_id, c.verification_status FROM {membership.db_table} m"  # noqa: S608  # nosec B608: our table names, values as parameters
        f" JOIN {cooperative.db_table} c ON c.id = m.cooperative_id WHERE m.user_id = %s"
        f" UNION ALL SELECT NULL, g.name FROM {group.db_table} g"
        f" JOIN {user_groups.db_table} ug ON ug.group_id = g.id WHERE ug.user_id = %s"
    )


def member_cooperative_ids(user: Any) -> list[int]:
    """The cooperatives the user belongs to (one query with their groups, kept on the user
    object: `_read_reader`)."""
    if not (user and user.is_authenticated):
        return []
    _read_reader(user)
    return list(user.__dict__["_member_cooperative_ids"])


def sees_public_catalogue(user: Any, *, seller_id: int | None = None) -> bool:
    """Whether the user sees exactly what an anonymous reader sees: of the catalogue (a
    moderator or a member of a suspended seller sees more), or of one seller's listing (its
    members and moderators also read its status_reason). The user's memberships: one query,
    cached on the user, which the catalogue's own visibility check reads too."""
    if not (user and user.is_authenticated):
        return True
    _read_reader(user)
    if is_moderator(user):
        return False
    if seller_id is not None:
        return seller_id not in member_cooperative_ids(user)
    return not user.__dict__["_in_suspended_cooperative"]


def _visible(user: Any) -> tuple[bool, list[int]]:
    """Whether the user moderates (and sees every listing), else their own cooperatives."""
    if user and user.is_authenticated:
        _read_reader(user)
    if is_moderator(user):
        return True, []
    return False, member_cooperative_ids(user)


def _listings_visible(*, everything: bool, own: list[int]) -> QuerySet[Listing]:
    queryset = _with_related(Listing.objects.all())
    if everything:
        return queryset
    # "Not one of the (few) suspended sellers" as a subquery rather than a join: PostgreSQL
    # hashes the suspended ids once and checks each listing against them, so counting and deep
    # pages read only the covering index instead of looking up every row's seller.
    suspended = Cooperative.objects.filter(verification_status=VerificationStatus.SUSPENDED).values(
        "pk"
    )
    public = Q(status=ListingStatus.PUBLISHED) & ~Q(cooperative_id__in=suspended)
    return queryset.filter((public | Q(cooperative_id__in=own)) if own else public)


def listing_list_visible_to(user: Any) -> QuerySet[Listing]:
    """Published listings of cooperatives in good standing; plus every listing of the user's own
    cooperatives; moderators see everything."""
    everything, own = _visible(user)
    return _listings_visible(everything=everything, own=own)


def listing_published_newest(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    """The published part, newest first: what the catalogue's filters answer when none is set
    (the list and the page then build no FilterSet: `ListingFilter.sets_a_filter`)."""
    return listing_order(queryset.filter(status=ListingStatus.PUBLISHED), "", searching=False)


def listing_catalogue_visible_to(user: Any) -> statements.Prepared:
    """`listing_published_newest(listing_list_visible_to(user))`, the catalogue a reader gets
    with no filter, prepared: its page of ids and its count's cache key come from statements
    compiled once per kind of reader (a moderator; a reader with N cooperatives of their own)
    on each connection, instead of the ORM building and compiling them on every request."""
    everything, own = _visible(user)
    if own and sees_public_catalogue(user):
        # None of their cooperatives is suspended, so their published listings are public
        # ones: the public catalogue's statement (cheaper to plan and run) answers the same.
        own = []
    return statements.Prepared(
        Listing,
        ("catalogue, newest", everything, len(own)),
        lambda values: listing_published_newest(
            _listings_visible(everything=everything, own=values)
        ),
        own,
    )


def listing_rows(ids: list[int]) -> QuerySet[Listing]:
    """Listings by id with what cards show (seller, category, images). No visibility check: for
    ids that a visibility-checked query returned."""
    return _with_related(Listing.objects.filter(pk__in=ids))


def listing_card_rows(ids: list[int]) -> list[cards.CardRow]:
    """Listings by id as their stored cards, with the seller and stock read live (one query;
    marketplace/cards.py). No visibility check: for ids that a visibility-checked query
    returned."""
    return cards.card_rows(ids)


def listing_get_visible(user: Any, listing_id: int) -> Listing:
    """The listing if the user may see it; a 404 otherwise (what you may not see does not exist)."""
    listing = _with_related(Listing.objects.filter(pk=listing_id)).first()
    if listing is None or not permissions.can_view_listing(user, listing):
        raise Http404("No listing with this id.")
    return listing


def listing_list_for_cooperative(
    user: Any, cooperative: Cooperative, *, statuses: Iterable[str] | None = None
) -> QuerySet[Listing]:
    """A seller's catalogue as the user may see it: everything for its members ("my listings"),
    the published part for everyone else."""
    queryset = listing_list_visible_to(user).filter(cooperative=cooperative)
    if statuses:
        queryset = queryset.filter(status__in=list(statuses))
    return queryset.order_by(*NEWEST_ORDER)


def listing_list_published_by(cooperative: Cooperative) -> QuerySet[Listing]:
    """A seller's published listings, newest first: the same for every reader who may see the
    seller (`cooperatives.selectors.cooperative_get_visible` decides that). A published listing
    is hidden from some readers only with its whole seller (suspended), so once the seller is
    visible nothing of the reader is needed: a cooperative's page shares its catalogue."""
    return Listing.objects.filter(cooperative=cooperative, status=ListingStatus.PUBLISHED).order_by(
        *NEWEST_ORDER
    )


def listing_search(queryset: QuerySet[Listing], text: str) -> QuerySet[Listing]:
    """Narrow to listings matching `text`, annotated with `relevance`."""
    return search_listings(queryset, text)


def listing_order(queryset: QuerySet[Listing], ordering: str, *, searching: bool) -> QuerySet:
    """Apply a public ordering; relevance applies only to a search, newest first otherwise."""
    if ordering == "relevance" or (not ordering and searching):
        return (
            queryset.order_by(*RELEVANCE_ORDER) if searching else queryset.order_by(*NEWEST_ORDER)
        )
    return queryset.order_by(*ORDERINGS.get(ordering, NEWEST_ORDER))


def listing_events(user: Any, listing: Listing) -> QuerySet[ListingEvent]:
    if not permissions.can_view_listing_history(user, listing):
        raise Http404("No listing with this id.")
    return listing.events.select_related("actor").order_by("at", "id")


def category_find(value: str | int) -> Category | None:
    """A category by slug or by id."""
    text = str(value).strip()
    if text.isdigit():
        return Category.objects.filter(pk=int(text)).first()
    return Category.objects.filter(slug=text).first()


def category_subtree(category: Category) -> QuerySet[Category]:
    """The category and every descendant: a prefix match on the materialised path."""
    return Category.objects.filter(path__startswith=category.path)


def category_label(category: Category, language: str | None = None) -> str:
    """The category's name in the given (or active) language, English when not translated."""
    language = (language or translation.get_language() or "en").lower()
    if language.startswith("es") and category.name_es:
        return category.name_es
    if language.startswith("pt") and category.name_pt_br:
        return category.name_pt_br
    return category.name


@dataclass
class CategoryNode:
    category: Category
    children: list["CategoryNode"] = field(default_factory=list)


def category_tree() -> list[CategoryNode]:
    """The whole tree from one query, siblings ordered by position then name."""
    categories = list(Category.objects.order_by("path"))
    nodes = {category.pk: CategoryNode(category) for category in categories}
    roots: list[CategoryNode] = []
    for category in categories:
        node = nodes[category.pk]
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent.children if parent else roots).append(node)

    def sort(level: list[CategoryNode]) -> None:
        level.sort(key=lambda n: (n.category.position, n.category.name))
        for node in level:
            sort(node.children)

    sort(roots)
    return roots


def listings_export_for_cooperative(*, cooperative: Cooperative) -> dict[str, list[Any]]:
    """This app's part of a cooperative's export (flows.cooperatives.cooperative_export)."""
    listings = Listing.objects.filter(cooperative=cooperative).order_by("created_at", "id")
    return {
        "listings": list(
            listings.values(
                "id",
                "kind",
                "title",
                "description",
                "category__path",
                "sku",
                "price_amount",
                "currency",
                "unit",
                "min_order_quantity",
                "stock",
                "lead_time_days",
                "delivers_pickup",
                "delivers_shipping",
                "delivers_on_site",
                "delivers_remote",
                "countries_served",
                "regions_served",
                "status",
                "status_reason",
                "created_at",
                "published_at",
            )
        )
    }


def _catalogue_imports(cooperative: Cooperative, user: Any) -> QuerySet[CatalogueImport]:
    """The person's own imports into the cooperative (nobody else's progress or errors)."""
    return CatalogueImport.objects.filter(cooperative=cooperative, actor=user)


def catalogue_import_of(
    cooperative: Cooperative, user: Any, import_id: int
) -> CatalogueImport | None:
    return _catalogue_imports(cooperative, user).filter(pk=import_id).first()


def catalogue_import_by_token(
    cooperative: Cooperative, user: Any, token: str
) -> CatalogueImport | None:
    return _catalogue_imports(cooperative, user).filter(progress_token=token).first()
