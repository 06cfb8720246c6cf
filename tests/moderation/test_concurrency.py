"""Two moderators decide the same pending listing at the same moment: one wins, the other gets 409,
and the log holds exactly one decision. Real threads, real row locks: PostgreSQL only."""

import threading

import pytest
from django.db import connection

from marketplace.models import Listing
from moderation.models import ModerationAction
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(requests):
    """Run each (client, url, body) in its own thread, released together; return status codes."""
    barrier = threading.Barrier(len(requests))
    codes = [None] * len(requests)

    def run(index, client, url, body):
        try:
            barrier.wait(timeout=10)
            codes[index] = client.post(url, body, format="json").status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return codes


@pytest.mark.parametrize(
    ("first", "second"), [("approve", "reject"), ("approve", "approve"), ("reject", "reject")]
)
def test_two_moderators_deciding_at_once(first, second):
    listing = ListingFactory(
        cooperative=CooperativeFactory(name="Cooperativa Carrera"),
        status="pending_review",
        published_at=None,
    )
    moderators = [make_moderator(), make_moderator()]
    url = "/api/v1/moderation/listings/{}/{}/"
    codes = race(
        [
            (client_for(moderators[0]), url.format(listing.pk, first), {"reason": "First."}),
            (client_for(moderators[1]), url.format(listing.pk, second), {"reason": "Second."}),
        ]
    )
    assert sorted(codes) == [200, 409]
    (decision,) = ModerationAction.objects.all()
    listing.refresh_from_db()
    assert listing.status == decision.to_status
    assert decision.from_status == "pending_review"
    assert Listing.objects.filter(pk=listing.pk, status="pending_review").count() == 0
