"""Property tests of the books: random orders on both rails (invoice, card through the Stripe
stand-in), paid, accepted, cancelled, declined, marked paid, refunded and credited in random
order, through the services. Whatever happens: every entry balances, every currency's balances
sum to zero, `ledger_check` finds nothing, and what a buyer owes a seller in the books is what
the orders say."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from ledger.models import JournalEntry
from ledger.selectors import entries_for, totals_by_currency, unbalanced_entries
from orders import services
from orders.books_check import books_check
from orders.models import InvoiceKind, Order, Refund
from orders.payments import gateway
from orders.payments.services import checkout_payment_start, payment_apply_intent
from tests.orders.test_settlement import market, seller_coop, standin  # noqa: F401 (fixtures)

_examples = itertools.count()
ACTIONS = ["accept", "decline", "cancel", "fulfil", "mark_paid"]

scenarios = st.lists(
    st.tuples(
        st.sampled_from(["invoice", "stripe"]),
        st.integers(min_value=0, max_value=3),  # more shirts in the cart
        st.booleans(),  # a card checkout is paid
        st.lists(st.tuples(st.integers(0, 1), st.sampled_from(ACTIONS)), max_size=4),
    ),
    min_size=1,
    max_size=3,
)


def _act(order: Order, action: str, people: dict, capture) -> None:  # type: ignore[no-untyped-def,type-arg]
    order = Order.objects.get(pk=order.pk)
    seller_side = action in ("accept", "decline", "fulfil", "mark_paid")
    actor = people[order.seller_id] if seller_side else people["buyer"]
    try:
        with capture(execute=True), transaction.atomic():
            if action == "mark_paid":
                services.order_mark_paid(order=order, actor=actor)
            else:
                services.order_transition(
                    order=order, action=action, actor=actor, reason="Why not."
                )
    except (DomainError, ValidationError):
        pass  # refused in this state: nothing may have been posted either (checked below)


def _expected_claim(buyer, seller) -> int:  # type: ignore[no-untyped-def]
    """What the orders say the buyer still owes the seller (negative) or paid ahead (positive)."""
    owed = 0
    for order in Order.objects.filter(buyer=buyer, seller=seller):
        kinds = set(order.invoices.values_list("kind", flat=True))
        if InvoiceKind.INVOICE in kinds and InvoiceKind.CREDIT_NOTE not in kinds:
            owed -= order.total_amount
        refunded = Refund.objects.filter(order=order, status="succeeded").exists()
        if order.paid_at is not None and not refunded:
            owed += order.total_amount
    return owed


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios)
def test_random_orders_on_both_rails_keep_the_books_balanced_and_true(
    scenario,
    market,  # noqa: F811
    standin,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    buyer, buyer_owner = market["buyer"], market["buyer_owner"]
    sellers = [market["huella"], market["yerba"]]
    people = {
        "buyer": buyer_owner,
        market["huella"].pk: market["huella_owner"],
        market["yerba"].pk: market["yerba_owner"],
    }
    # Each example is rolled back, so ids come again: Stripe keys get a fresh namespace.
    namespace = f"books-{next(_examples)}"
    with transaction.atomic(), override_settings(STRIPE_IDEMPOTENCY_NAMESPACE=namespace):
        for run, (method, extra, pays, actions) in enumerate(scenario):
            if run or extra:
                try:
                    services.cart_add_item(
                        cooperative=buyer,
                        listing_id=market["shirts"].pk if extra else market["kilo"].pk,
                        quantity=extra or 1,
                        actor=buyer_owner,
                    )
                except DomainError:
                    continue  # sold out by this example's earlier checkouts: refused, no order
            with capture(execute=True):
                result = services.checkout_place(
                    buyer=buyer,
                    actor=buyer_owner,
                    idempotency_key=f"books-{run}",
                    payment_method=method,
                )
            checkout = result.checkout
            if method == "stripe" and pays:
                checkout_payment_start(checkout=checkout)
                payment = checkout.payment
                payment.refresh_from_db()
                standin.confirm_payment_intent(payment.stripe_payment_intent_id)
                intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
                with capture(execute=True), transaction.atomic():
                    _, work = payment_apply_intent(intent=intent)
                    transaction.on_commit(work.run)
            orders = {o.seller_id: o for o in checkout.orders.all()}
            for seller_index, action in actions:
                order = orders.get(sellers[seller_index].pk)
                if order is not None:
                    _act(order, action, people, capture)

        for kind in set(JournalEntry.objects.values_list("kind", flat=True)):
            event(f"posted {kind}")
        assert unbalanced_entries() == []
        assert set(totals_by_currency().values()) <= {0}
        assert books_check() == []
        for seller in sellers:
            statement = entries_for(buyer, counterparty=seller)
            balance = statement[-1].balance if statement else 0
            assert balance == _expected_claim(buyer, seller)
        transaction.set_rollback(True)
