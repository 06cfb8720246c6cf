import io

import pytest
from django.contrib.auth import authenticate

from moderation import demo
from moderation.models import Appeal, ModerationAction, Report
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def counts():
    return (Report.objects.count(), ModerationAction.objects.count(), Appeal.objects.count())


def test_no_listings_no_moderation_demo():
    assert demo.seed(io.StringIO()) == []
    assert counts() == (0, 0, 0)


def test_seed_adds_reports_and_a_decision_under_appeal_once(
    seller_coop, seller_owner, buyer_owner, buyer_member, pending_listing, published_listing
):
    ListingFactory(cooperative=seller_coop, status="published")
    lines = demo.seed(io.StringIO())
    assert any("moderator@minga.test" in line for line in lines)
    first = counts()
    assert first[0] >= 2
    appeal = Appeal.objects.get()
    assert appeal.decision.listing == pending_listing
    assert appeal.appellant == seller_owner
    moderator = authenticate(email="moderator@minga.test", password=demo.DEMO_PASSWORD)
    assert moderator is not None and moderator.is_moderator
    demo.seed(io.StringIO())
    assert counts() == first
