from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from accounts.models import User
from cooperatives.models import Cooperative, LegalForm, Membership, Role, Sector


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.coop")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def user_in_group(group: str, **fields: Any) -> User:
    """A person in the named permission group (moderators, treasurers, the credit committee)."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


class CooperativeFactory(DjangoModelFactory):
    class Meta:
        model = Cooperative
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Cooperativa {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    legal_form = LegalForm.WORKER
    sector = Sector.TEXTILES
    country = "AR"
    city = "Buenos Aires"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    role = Role.MEMBER


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = "marketplace.Category"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    path = factory.LazyAttribute(lambda o: f"/{o.slug}/")


class ListingFactory(DjangoModelFactory):
    """A published product with stock, priced in the seller's usual currency."""

    class Meta:
        model = "marketplace.Listing"

    cooperative = factory.SubFactory(CooperativeFactory)
    kind = "product"
    title = factory.Sequence(lambda n: f"Yerba mate orgánica {n}")
    description = "Cosecha 2026, molienda tradicional."
    category = factory.SubFactory(CategoryFactory)
    price_amount = 125_000
    currency = "ARS"
    unit = "kg"
    min_order_quantity = 1
    stock = 100
    status = "published"
    delivers_pickup = True
    delivers_shipping = True
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        # ListingFactory(pending_review=True): submitted just now, waiting for a moderator.
        pending_review = factory.Trait(
            status="pending_review",
            published_at=None,
            submitted_at=factory.LazyFunction(timezone.now),
        )
