"""What each cooperative sees of requests, quotes, threads, agreements and standing orders, and
the constant query counts of their lists."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from quotes import selectors, services
from quotes.models import BuyerGroup
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory
from tests.quotes import helpers
from tests.quotes.helpers import publish, seller, terms, weekly_standing_order

pytestmark = pytest.mark.django_db


def _ids(queryset):  # type: ignore[no-untyped-def]
    return [row.pk for row in queryset]


def test_private_request_is_seen_by_buyer_and_invited_only(buyer_coop, buyer_owner):
    (invited, invited_owner), (other, other_owner) = seller("Invitada"), seller("Ajena")
    rfq = publish(buyer_coop, buyer_owner, [invited])
    assert _ids(selectors.rfq_list_for_cooperative(user=buyer_owner, cooperative=buyer_coop)) == [
        rfq.pk
    ]
    assert _ids(
        selectors.rfq_list_for_cooperative(user=invited_owner, cooperative=invited, role="seller")
    ) == [rfq.pk]
    assert _ids(selectors.rfq_list_for_cooperative(user=other_owner, cooperative=other)) == []
    # The buyer's own request is not listed on its seller side.
    assert (
        _ids(
            selectors.rfq_list_for_cooperative(
                user=buyer_owner, cooperative=buyer_coop, role="seller"
            )
        )
        == []
    )
    assert selectors.rfq_get_visible(user=buyer_owner, rfq_id=rfq.pk).is_buyer
    access = selectors.rfq_get_visible(user=invited_owner, rfq_id=rfq.pk)
    assert not access.is_buyer and access.seller_ids == [invited.pk]
    with pytest.raises(Http404):
        selectors.rfq_get_visible(user=other_owner, rfq_id=rfq.pk)
    with pytest.raises(Http404):  # someone else's cooperative by slug
        selectors.rfq_list_for_cooperative(user=other_owner, cooperative=buyer_coop)


def test_open_request_is_seen_by_sellers_of_its_category_and_region(buyer_coop, buyer_owner):
    printing = CategoryFactory(name="Imprenta")
    offset = CategoryFactory(name="Offset", parent=printing, path=f"{printing.path}offset/")
    food = CategoryFactory(name="Alimentos")
    near, near_owner = seller("Imprenta del Sur")
    far, far_owner = seller("Imprenta del Norte")
    grocer, grocer_owner = seller("Almacén")
    near.region, far.region, grocer.region = "Montevideo", "Salta", "Montevideo"
    for cooperative in (near, far, grocer):
        cooperative.save()
    ListingFactory(cooperative=near, category=offset)  # below the request's category
    ListingFactory(cooperative=far, category=printing)
    ListingFactory(cooperative=grocer, category=food)
    everywhere = publish(buyer_coop, buyer_owner, [], visibility="open", category=printing)
    local = publish(
        buyer_coop, buyer_owner, [], visibility="open", category=printing, region="montevideo"
    )

    def seen(user, cooperative):  # type: ignore[no-untyped-def]
        return set(_ids(selectors.rfq_list_for_cooperative(user=user, cooperative=cooperative)))

    assert seen(near_owner, near) == {everywhere.pk, local.pk}
    assert seen(far_owner, far) == {everywhere.pk}
    assert seen(grocer_owner, grocer) == set()
    with pytest.raises(Http404):
        selectors.rfq_get_visible(user=far_owner, rfq_id=local.pk)


def test_buyer_sees_every_quote_and_a_seller_only_its_own(buyer_coop, buyer_owner):
    (a, a_owner), (b, b_owner) = seller("A"), seller("B")
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    quote_a = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(100_00))
    quote_b = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(90_00))
    services.quote_counter(quote=quote_a, actor=buyer_owner, terms=terms(95_00))
    buyer_access = selectors.rfq_get_visible(user=buyer_owner, rfq_id=rfq.pk)
    assert _ids(selectors.quote_list(access=buyer_access)) == [quote_a.pk, quote_b.pk]
    a_access = selectors.rfq_get_visible(user=a_owner, rfq_id=rfq.pk)
    (only,) = selectors.quote_list(access=a_access)
    assert only.pk == quote_a.pk
    assert [v.number for v in selectors.quote_versions(only)] == [1, 2]
    assert selectors.quote_latest_version(only).total_amount == 95_00 * 1000  # type: ignore[union-attr]
    with pytest.raises(Http404):
        selectors.quote_get_visible(user=a_owner, quote_id=quote_b.pk)
    assert selectors.quote_get_visible(user=buyer_owner, quote_id=quote_b.pk).pk == quote_b.pk


def test_a_thread_is_read_by_the_buyer_and_that_seller_only(buyer_coop, buyer_owner):
    (a, a_owner), (b, b_owner) = seller("A"), seller("B")
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    services.message_post(rfq=rfq, seller=a, actor=a_owner, body="¿Papel de 120 g?")
    services.message_post(rfq=rfq, seller=a, actor=buyer_owner, body="Sí, 120 g.")
    services.message_post(rfq=rfq, seller=b, actor=b_owner, body="Consulta de B")
    buyer_access = selectors.rfq_get_visible(user=buyer_owner, rfq_id=rfq.pk)
    assert [m.body for m in selectors.message_list(access=buyer_access, seller=a)] == [
        "¿Papel de 120 g?",
        "Sí, 120 g.",
    ]
    b_access = selectors.rfq_get_visible(user=b_owner, rfq_id=rfq.pk)
    assert [m.body for m in selectors.message_list(access=b_access, seller=b)] == ["Consulta de B"]
    with pytest.raises(Http404):
        selectors.message_list(access=b_access, seller=a)


def test_request_lists_and_quotes_run_constant_queries(
    buyer_coop, buyer_owner, django_assert_num_queries
):
    sellers = [seller(f"Imprenta {n}") for n in range(4)]
    for n in range(3):
        rfq = publish(buyer_coop, buyer_owner, [s for s, _o in sellers], title=f"Pedido {n}")
    for cooperative, owner in sellers:
        quote = services.quote_submit(rfq=rfq, seller=cooperative, actor=owner, terms=terms(1_00))
        services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(90))
    access = selectors.rfq_get_visible(user=buyer_owner, rfq_id=rfq.pk)
    with django_assert_num_queries(1):
        rows = list(selectors.rfq_list_for_cooperative(user=buyer_owner, cooperative=buyer_coop))
        assert [(r.buyer.name, r.category) for r in rows]
    # quotes, their versions, the versions' lines.
    with django_assert_num_queries(3):
        quotes = list(selectors.quote_list(access=access))
        assert sum(len(selectors.quote_versions(q)) for q in quotes) == 8
        assert all(v.lines.all()[0].quantity for q in quotes for v in q.versions.all())
        assert all(q.seller.name for q in quotes)


@pytest.fixture
def agreements(seller_coop, seller_owner, buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, price_amount=50_00, currency="ARS")
    member, member_owner = seller("Miembro de la federación")
    group = BuyerGroup.objects.create(seller=seller_coop, name="FACTA")
    group.members.add(member)

    def propose(**extra):  # type: ignore[no-untyped-def]
        return helpers.agreement(seller_coop, seller_owner, listing, **extra)

    direct, federation = propose(buyer=buyer_coop), propose(buyer_group=group)
    return direct, federation, (member, member_owner), listing


def test_agreements_are_seen_by_their_two_sides(
    agreements, seller_coop, seller_owner, buyer_coop, buyer_owner, django_assert_num_queries
):
    direct, federation, (member, member_owner), _listing = agreements
    with django_assert_num_queries(2):  # agreements, their price rows
        rows = list(
            selectors.agreement_list_for_cooperative(user=seller_owner, cooperative=seller_coop)
        )
        assert [len(a.prices.all()) for a in rows] == [1, 1]
    assert _ids(rows) == [federation.pk, direct.pk]
    assert _ids(
        selectors.agreement_list_for_cooperative(user=buyer_owner, cooperative=buyer_coop)
    ) == [direct.pk]
    assert _ids(
        selectors.agreement_list_for_cooperative(user=member_owner, cooperative=member)
    ) == [federation.pk]
    assert (
        _ids(
            selectors.agreement_list_for_cooperative(
                user=seller_owner, cooperative=seller_coop, role="buyer"
            )
        )
        == []
    )
    with pytest.raises(Http404):
        selectors.agreement_get_visible(user=member_owner, agreement_id=direct.pk)
    assert selectors.agreement_get_visible(user=member_owner, agreement_id=federation.pk)
    assert selectors.agreement_buyer_for(user=member_owner, agreement=federation) == member
    assert selectors.agreement_buyer_for(user=buyer_owner, agreement=federation) is None


def test_standing_orders_and_drafts_for_buyer_and_seller(
    agreements, seller_coop, seller_owner, buyer_coop, buyer_owner, django_assert_num_queries
):
    direct, _federation, (member, member_owner), listing = agreements
    services.agreement_accept(agreement=direct, buyer=buyer_coop, actor=buyer_owner)
    two_weeks_ago = timezone.localdate() - timedelta(weeks=2)
    standing = weekly_standing_order(direct, buyer_coop, buyer_owner, listing, 3, two_weeks_ago)
    services.standing_orders_draft()
    with django_assert_num_queries(3):  # standing orders, lines, drafts
        (row,) = selectors.standing_order_list_for_cooperative(
            user=seller_owner, cooperative=seller_coop
        )
        assert len(row.drafts.all()) == 3 and row.lines.all()[0].listing.title
    draft = row.drafts.all()[0]
    assert (
        selectors.draft_get_visible(
            user=buyer_owner, standing_order_id=standing.pk, draft_id=draft.pk
        ).pk
        == draft.pk
    )
    with pytest.raises(Http404):
        selectors.draft_get_visible(
            user=member_owner, standing_order_id=standing.pk, draft_id=draft.pk
        )
    outsider = MembershipFactory(cooperative=member, role="member").user
    with pytest.raises(Http404):
        selectors.standing_order_list_for_cooperative(user=outsider, cooperative=buyer_coop)
