import pytest

from credit.models import CreditSystem, CreditTerms
from credit.permissions import CREDIT_COMMITTEE_GROUP
from tests.clearing.test_runs import owner_of
from tests.factories import CooperativeFactory, user_in_group


@pytest.fixture
def system():
    system, _ = CreditSystem.objects.update_or_create(  # the clearing tests' loop may have one
        currency="ARS", defaults={"name": "Crédito Minga ARS", "default_upper_limit": 1_000_00}
    )
    CreditTerms.objects.create(system=system, version=1, text="Primeros términos.")
    CreditTerms.objects.create(system=system, version=2, text="Términos vigentes.")
    return system


def member_of_committee(name: str):
    return user_in_group(CREDIT_COMMITTEE_GROUP, name=name)


@pytest.fixture
def committee():
    return member_of_committee("Ana Comité"), member_of_committee("Bruno Comité")


@pytest.fixture
def pair():
    """A buyer and a seller cooperative, each with an owner."""
    buyer, seller = (
        CooperativeFactory(name="Coop Compradora"),
        CooperativeFactory(name="Coop Vende"),
    )
    return (buyer, owner_of(buyer)), (seller, owner_of(seller))
