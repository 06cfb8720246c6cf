"""Business rules of listings: who writes, what is valid, the review policy, the lifecycle."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError, NotPermitted, TransitionNotAllowed
from marketplace import services
from marketplace.models import Listing, ListingEvent
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def _fields(cat, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "kind": "product",
        "title": "Yerba mate barbacuá",
        "description": "Molienda gruesa",
        "category": cat.slug,
        "price_amount": 350_000,
        "currency": "ARS",
        "unit": "kg",
        "stock": 40,
        "delivery_modes": ["pickup", "shipping"],
    }
    return fields | overrides


@pytest.fixture
def verified(seller_coop):  # type: ignore[no-untyped-def]
    seller_coop.verification_status = "verified"
    seller_coop.save()
    return seller_coop


def events_of(listing):  # type: ignore[no-untyped-def]
    return list(
        ListingEvent.objects.filter(listing=listing).values_list(
            "action", "from_status", "to_status"
        )
    )


class TestCreate:
    def test_owner_creates_a_draft_with_an_event(self, seller_coop, seller_owner, coffee):
        listing = services.listing_create(
            cooperative=seller_coop, actor=seller_owner, **_fields(coffee)
        )
        assert listing.status == "draft"
        assert listing.delivers_pickup and listing.delivers_shipping and not listing.delivers_remote
        assert listing.created_by == seller_owner
        assert events_of(listing) == [("create", "", "draft")]

    def test_admin_creates_too(self, seller_coop, seller_admin, coffee):
        services.listing_create(cooperative=seller_coop, actor=seller_admin, **_fields(coffee))
        assert Listing.objects.filter(cooperative=seller_coop).count() == 1

    @pytest.mark.parametrize("persona", ["seller_member", "buyer_owner", "outsider"])
    def test_others_may_not(self, request, seller_coop, coffee, persona):
        with pytest.raises(NotPermitted):
            services.listing_create(
                cooperative=seller_coop,
                actor=request.getfixturevalue(persona),
                **_fields(coffee),
            )
        assert not Listing.objects.exists()

    def test_language_defaults_to_the_cooperatives(self, seller_coop, seller_owner, coffee):
        seller_coop.description_language = "es"
        seller_coop.save()
        listing = services.listing_create(
            cooperative=seller_coop, actor=seller_owner, **_fields(coffee)
        )
        assert listing.language == "es"

    def test_category_by_id_and_currency_case(self, seller_coop, seller_owner, coffee):
        listing = services.listing_create(
            cooperative=seller_coop,
            actor=seller_owner,
            **_fields(coffee, category=str(coffee.pk), currency="brl"),
        )
        assert listing.category == coffee
        assert listing.currency == "BRL"

    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"currency": "XYZ"}, "currency"),
            ({"currency": "EURO"}, "currency"),
            ({"category": "no-such-category"}, "category"),
            ({"price_amount": 0}, "price_amount"),
            ({"price_amount": -5}, "price_amount"),
            ({"price_amount": 10**15}, "price_amount"),
            ({"title": "x" * 10_000}, "title"),
            ({"title": "   "}, "title"),
            ({"stock": -1}, "stock"),
            ({"stock": 10**12}, "stock"),
            ({"unit": "barrel"}, "unit"),
            ({"kind": "gift"}, "kind"),
            ({"delivery_modes": ["teleport"]}, "delivery_modes"),
            ({"countries_served": ["AR", "XX"]}, "countries_served"),
            ({"lead_time_days": 400}, "lead_time_days"),
            ({"min_order_quantity": 0}, "min_order_quantity"),
            ({"language": "klingon"}, "language"),
        ],
    )
    def test_bad_values_are_refused_per_field(
        self, seller_coop, seller_owner, coffee, override, field
    ):
        with pytest.raises(ValidationError) as caught:
            services.listing_create(
                cooperative=seller_coop, actor=seller_owner, **_fields(coffee, **override)
            )
        assert field in caught.value.message_dict
        assert not Listing.objects.exists()

    def test_sku_is_unique_per_cooperative(self, seller_coop, buyer_coop, seller_owner, coffee):
        ListingFactory(cooperative=buyer_coop, sku="YM-1")
        services.listing_create(
            cooperative=seller_coop, actor=seller_owner, **_fields(coffee, sku="YM-1")
        )
        with pytest.raises(ValidationError) as caught:
            services.listing_create(
                cooperative=seller_coop, actor=seller_owner, **_fields(coffee, sku="YM-1")
            )
        assert "sku" in caught.value.message_dict


class TestSubmit:
    def test_unverified_seller_goes_to_review(self, draft, seller_owner):
        listing = services.listing_submit(listing=draft, actor=seller_owner)
        assert listing.status == "pending_review"
        assert listing.submitted_at is not None and listing.published_at is None
        assert events_of(listing)[-1] == ("submit_for_review", "draft", "pending_review")

    def test_verified_seller_publishes_at_once(self, verified, draft, seller_admin):
        listing = services.listing_submit(listing=draft, actor=seller_admin)
        assert listing.status == "published"
        assert listing.published_at is not None
        assert events_of(listing)[-1] == ("publish_directly", "draft", "published")

    def test_policy_all_reviews_verified_sellers_too(self, settings, verified, draft, seller_owner):
        settings.LISTING_REVIEW_POLICY = "all"
        assert services.listing_submit(listing=draft, actor=seller_owner).status == "pending_review"

    def test_a_rejected_listing_can_be_submitted_again(self, draft, seller_owner, moderator):
        services.listing_submit(listing=draft, actor=seller_owner)
        services.listing_transition(
            listing=draft, action="reject", actor=moderator, reason="Blurry photos"
        )
        assert services.listing_submit(listing=draft, actor=seller_owner).status == "pending_review"

    def test_a_suspended_cooperative_cannot_submit(self, seller_coop, draft, seller_owner):
        seller_coop.verification_status = "suspended"
        seller_coop.save()
        with pytest.raises(DomainError):
            services.listing_submit(listing=draft, actor=seller_owner)
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_a_listing_needs_a_delivery_mode(self, draft, seller_owner):
        draft.delivers_pickup = draft.delivers_shipping = False
        draft.save()
        with pytest.raises(ValidationError) as caught:
            services.listing_submit(listing=draft, actor=seller_owner)
        assert "delivery_modes" in caught.value.message_dict

    def test_members_may_not_submit(self, draft, seller_member):
        with pytest.raises(NotPermitted):
            services.listing_submit(listing=draft, actor=seller_member)

    def test_a_published_listing_is_not_submitted_again(self, published, seller_owner):
        with pytest.raises(TransitionNotAllowed):
            services.listing_submit(listing=published, actor=seller_owner)


class TestEditReview:
    def test_verified_seller_editing_the_title_goes_back_to_review(
        self, verified, published, seller_owner
    ):
        listing = services.listing_update(listing=published, actor=seller_owner, title="Nuevo")
        assert listing.title == "Nuevo"
        assert listing.status == "pending_review"
        event = ListingEvent.objects.filter(listing=listing).last()
        assert (event.action, event.actor, "title" in event.reason) == (
            "send_back_to_review",
            seller_owner,
            True,
        )

    def test_setting_off_lets_verified_sellers_edit_live(
        self, settings, verified, published, seller_owner, textiles
    ):
        settings.LISTING_EDIT_NEEDS_REVIEW = False
        listing = services.listing_update(
            listing=published, actor=seller_owner, description="Otra", category=textiles.slug
        )
        assert listing.status == "published"

    def test_unverified_sellers_are_always_reviewed_again(self, settings, published, seller_owner):
        settings.LISTING_EDIT_NEEDS_REVIEW = False
        listing = services.listing_update(listing=published, actor=seller_owner, title="Otro")
        assert listing.status == "pending_review"

    def test_price_and_stock_edits_stay_live(self, verified, published, seller_owner):
        listing = services.listing_update(
            listing=published, actor=seller_owner, price_amount=99_900, stock=0
        )
        assert (listing.status, listing.price_amount, listing.stock) == ("published", 99_900, 0)

    def test_an_edit_that_changes_nothing_is_not_an_edit(self, published, seller_owner):
        listing = services.listing_update(
            listing=published, actor=seller_owner, title=published.title
        )
        assert listing.status == "published"

    def test_archived_listings_are_not_edited(self, published, seller_owner):
        services.listing_archive(listing=published, actor=seller_owner)
        with pytest.raises(DomainError):
            services.listing_update(listing=published, actor=seller_owner, title="Zombie")

    def test_members_may_not_edit(self, published, seller_member):
        with pytest.raises(NotPermitted):
            services.listing_update(listing=published, actor=seller_member, title="Nope")


class TestTransition:
    def test_moderator_approves_and_the_event_says_who(self, draft, seller_owner, moderator):
        services.listing_submit(listing=draft, actor=seller_owner)
        listing = services.listing_transition(listing=draft, action="approve", actor=moderator)
        assert listing.status == draft.status == "published"
        assert listing.published_at is not None
        event = ListingEvent.objects.filter(listing=listing).last()
        assert (event.actor, event.from_status, event.to_status) == (
            moderator,
            "pending_review",
            "published",
        )

    def test_sellers_cannot_take_moderator_actions(self, draft, seller_owner):
        services.listing_submit(listing=draft, actor=seller_owner)
        with pytest.raises(NotPermitted):
            services.listing_transition(listing=draft, action="approve", actor=seller_owner)

    @pytest.mark.parametrize("action", ["reject", "suspend"])
    def test_reject_and_suspend_need_a_reason(self, draft, seller_owner, moderator, action):
        services.listing_submit(listing=draft, actor=seller_owner)
        with pytest.raises(ValidationError):
            services.listing_transition(listing=draft, action=action, actor=moderator, reason=" ")
        listing = services.listing_transition(
            listing=draft, action=action, actor=moderator, reason="Counterfeit"
        )
        assert listing.status_reason == "Counterfeit"
        assert ListingEvent.objects.filter(listing=listing).last().reason == "Counterfeit"

    def test_reinstating_keeps_the_first_publication_date(self, published, moderator):
        first = published.published_at
        services.listing_transition(
            listing=published, action="suspend", actor=moderator, reason="Report under review"
        )
        listing = services.listing_transition(
            listing=published, action="reinstate", actor=moderator
        )
        assert listing.status == "published"
        assert listing.published_at == first
        assert listing.status_reason == ""

    def test_a_refused_transition_changes_nothing(self, draft, moderator):
        with pytest.raises(TransitionNotAllowed):
            services.listing_transition(listing=draft, action="approve", actor=moderator)
        draft.refresh_from_db()
        assert draft.status == "draft"
        assert not ListingEvent.objects.filter(listing=draft).exists()

    def test_unknown_actions_are_a_programming_error(self, draft, moderator):
        with pytest.raises(ValueError):
            services.listing_transition(listing=draft, action="teleport", actor=moderator)

    def test_the_system_may_act_without_an_actor(self, draft):
        listing = services.listing_transition(listing=draft, action="publish_directly", actor=None)
        assert listing.status == "published"
        assert ListingEvent.objects.get(listing=listing).actor is None


@pytest.mark.parametrize("code", ["ARS", "UYU", "BRL", "EUR", "USD", "CLP", "JPY", "XOF"])
def test_currencies_in_use_are_accepted(code):
    from core.reference import currency_codes

    assert code in currency_codes()


@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS", "ATS", "ARA", "DEM"])
def test_historical_and_non_money_codes_are_refused(code):
    from core.reference import currency_codes

    assert code not in currency_codes()
