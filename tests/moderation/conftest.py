"""Moderation personas and objects: a second moderator, a moderator with a conflict of interest,
listings in each status of the review lifecycle."""

import pytest
from django.utils import timezone

from accounts.models import MODERATORS_GROUP
from cooperatives.models import Role
from tests.factories import ListingFactory, MembershipFactory, user_in_group


@pytest.fixture(autouse=True)
def _fresh_throttle_history(fresh_cache):
    """Every moderation test starts with no throttle counted (`fresh_cache`, tests/conftest.py)."""


def make_moderator(**fields):
    return user_in_group(MODERATORS_GROUP, **fields)


@pytest.fixture
def other_moderator(db):
    return make_moderator(name="Other Moderator")


@pytest.fixture
def conflicted_moderator(seller_coop):
    """A moderator who is also a member of the seller cooperative."""
    user = make_moderator(name="Conflicted Moderator")
    MembershipFactory(user=user, cooperative=seller_coop, role=Role.MEMBER)
    return user


@pytest.fixture
def pending_listing(seller_coop):
    return ListingFactory(
        cooperative=seller_coop,
        status="pending_review",
        published_at=None,
        submitted_at=timezone.now(),
        title="Remeras de algodón orgánico",
    )


@pytest.fixture
def published_listing(seller_coop):
    return ListingFactory(cooperative=seller_coop, status="published", title="Bolsas de tela")


@pytest.fixture
def assert_constant_queries(django_assert_max_num_queries):
    """A queue or log whose query count does not grow with its page: `fill(n)` adds n rows; with
    two the page takes at most `limit` queries, and with `rows` it takes no more than with two."""

    def check(client, url, fill, *, limit, rows):
        fill(2)
        with django_assert_max_num_queries(limit) as small:
            client.get(url)
        fill(rows - 2)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert len(client.get(url).json()["results"]) == rows

    return check
