"""Property test of mutual credit (issue #18, item 9): random sequences of checkouts paying part
of their orders in credit, credit payments of orders and invoices, acceptances, declines,
cancellations, payments marked and clearing runs, through the services, among three
cooperatives with random shares and limits. Whatever is refused and whatever goes through:
the system's balances sum to zero, every account stays within its limits, every entry
balances, every currency's books sum to zero and `ledger_check` finds nothing."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clearing.services import clearing_run_execute, clearing_run_propose
from core.errors import DomainError
from credit.models import CreditAccount, CreditSystem
from credit.selectors import system_total
from credit.services import balance_of
from ledger.models import AccountKind
from ledger.selectors import totals_by_currency, unbalanced_entries
from ledger.services import account_for
from orders import services
from orders.books_check import books_check
from orders.models import Order
from orders.receivables.credit import order_pay_in_credit
from orders.receivables.selectors import invoice_of
from orders.receivables.services import invoice_pay_in_credit
from tests.clearing.test_runs import owner_of
from tests.factories import CooperativeFactory, ListingFactory

_keys = itertools.count()
COOPS = 3

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("checkout"),
            st.integers(0, COOPS - 1),  # buyer
            st.integers(1, COOPS - 1),  # seller, as an offset from the buyer
            st.integers(1, 3),  # quantity of 100.00
            st.integers(0, 400_00),  # asked in credit
        ),
        st.tuples(st.just("pay"), st.integers(0, 9), st.integers(1, 200_00)),
        st.tuples(st.sampled_from(["accept", "decline", "cancel", "mark_paid"]), st.integers(0, 9)),
        st.tuples(st.just("clear")),
    ),
    min_size=1,
    max_size=8,
)
limits = st.lists(
    st.tuples(st.integers(0, 300_00), st.integers(0, 500_00), st.sampled_from([0, 5_000, 10_000])),
    min_size=COOPS,
    max_size=COOPS,
)


@pytest.fixture
def network(db):
    system = CreditSystem.objects.create(currency="ARS", name="Crédito Minga ARS")
    coops = [CooperativeFactory(name=f"Coop {index}") for index in range(COOPS)]
    owners = [owner_of(coop) for coop in coops]
    listings = [
        ListingFactory(cooperative=coop, price_amount=100_00, currency="ARS", stock=None)
        for coop in coops
    ]
    for coop in coops:
        CreditAccount.objects.create(
            system=system,
            cooperative=coop,
            ledger_account=account_for(coop, "ARS", AccountKind.CREDIT, "credit"),
        )
    return system, coops, owners, listings


def _step(step, coops, owners, listings, orders, committee) -> None:  # type: ignore[no-untyped-def]
    kind = step[0]
    if kind == "checkout":
        _, buyer, offset, quantity, credit = step
        seller = (buyer + offset) % COOPS
        result = services.checkout_place(
            buyer=coops[buyer],
            actor=owners[buyer],
            idempotency_key=f"credit-{next(_keys)}",
            payment_method="invoice",
            lines=[services.RequestedLine(listing=listings[seller].pk, quantity=quantity)],
            credit={coops[seller].slug: credit},
        )
        orders.extend(result.checkout.orders.all())
        return
    if not orders and kind != "clear":
        return
    if kind == "clear":
        run = clearing_run_propose(currency="ARS", actor=committee)
        clearing_run_execute(run=run, actor=committee)
        return
    order = Order.objects.select_related("buyer", "seller").get(pk=orders[step[1] % len(orders)].pk)
    buyer_owner = owners[coops.index(order.buyer)]
    seller_owner = owners[coops.index(order.seller)]
    if kind == "pay":
        invoice = invoice_of(order)
        if invoice is None:
            order_pay_in_credit(order=order, actor=buyer_owner, amount=step[2])
        else:
            invoice_pay_in_credit(invoice=invoice, actor=buyer_owner, amount=step[2])
    elif kind == "mark_paid":
        services.order_mark_paid(order=order, actor=seller_owner)
    else:
        actor = buyer_owner if kind == "cancel" else seller_owner
        services.order_transition(order=order, action=kind, actor=actor, reason="Porque sí.")


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=steps, terms=limits)
def test_random_credit_trade_keeps_every_system_at_zero_and_every_account_within_limits(
    plan, terms, network, committee, django_capture_on_commit_callbacks
):
    system, coops, owners, listings = network
    with transaction.atomic():
        for coop, (line, upper, share) in zip(coops, terms, strict=True):
            CreditAccount.objects.filter(cooperative=coop).update(
                lower_limit=-line, upper_limit=upper
            )
            coop.credit_share_bps = share
            coop.save(update_fields=["credit_share_bps"])
        orders: list[Order] = []
        for step in plan:
            try:
                with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                    _step(step, coops, owners, listings, orders, committee[0])
                event(f"{step[0]} done")
            except (DomainError, ValidationError) as refused:
                event(f"{step[0]} refused: {getattr(refused, 'code', 'invalid')}")
            assert system_total(system) == 0
            for account in CreditAccount.objects.select_related("ledger_account"):
                assert account.lower_limit <= balance_of(account) <= account.upper_limit
        assert unbalanced_entries() == []
        assert set(totals_by_currency().values()) <= {0}
        assert books_check() == []  # posted and re-derived with the same rules
        transaction.set_rollback(True)
