"""Real threads against PostgreSQL: two competing awards of a single-award request."""

import pytest

from accounts.models import User
from core.errors import DomainError
from orders.models import Order
from orders.services import rfq_award
from quotes import services
from quotes.models import Rfq
from tests.orders.test_concurrency import run_at_once
from tests.quotes.helpers import publish, seller, terms

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_awards_make_one_set_of_orders_and_one_409(buyer_coop, buyer_owner):
    (a, a_owner), (b, b_owner) = seller("Gráfica A"), seller("Gráfica B")
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    va = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(95_00)).versions.get()
    vb = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(90_00)).versions.get()

    def award(version_id: int):  # type: ignore[no-untyped-def]
        def call():  # type: ignore[no-untyped-def]
            try:
                return rfq_award(
                    rfq=Rfq.objects.get(pk=rfq.pk),
                    actor=User.objects.get(pk=buyer_owner.pk),
                    awards=[(version_id, None)],
                )
            except DomainError as error:
                return error.code

        return call

    results = run_at_once([award(va.pk), award(vb.pk)])
    assert sorted(isinstance(r, list) for r in results) == [False, True]
    assert "rfq_already_awarded" in results
    assert Order.objects.filter(buyer=buyer_coop).count() == 1
