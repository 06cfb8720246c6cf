"""A clearing run proposes, over the real open invoices of one currency, the set-off that clears
the most while leaving every net position unchanged, and knows when an invoice changed since."""

import pytest
from django.core.exceptions import ValidationError

from clearing.models import ClearingPosition
from clearing.services import clearing_run_propose, clearing_run_stale_items
from cooperatives.models import Role
from credit.models import CreditAccount, CreditSystem
from ledger.models import AccountKind
from ledger.services import account_for
from orders.models import Invoice, InvoiceKind
from orders.receivables.services import invoice_payment_record
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


def owner_of(cooperative):
    return MembershipFactory(cooperative=cooperative, role=Role.OWNER).user


def consenting(*cooperatives, currency="ARS"):
    """Members of the currency's credit system, consenting to clearing (as joining gives)."""
    system, _ = CreditSystem.objects.get_or_create(
        currency=currency, defaults={"name": f"Crédito Minga {currency}"}
    )
    return [
        CreditAccount.objects.get_or_create(
            system=system,
            cooperative=cooperative,
            defaults={
                "ledger_account": account_for(cooperative, currency, AccountKind.CREDIT, "credit")
            },
        )[0]
        for cooperative in cooperatives
    ]


def invoice(buyer, seller, price, currency="ARS") -> Invoice:
    """The invoice the seller issues when it accepts the buyer's order of one unit at `price`."""
    listing = ListingFactory(cooperative=seller, price_amount=price, currency=currency, stock=5)
    order = place_order(owner_of(buyer), buyer, listing, quantity=1)
    assert act(owner_of(seller), order["id"], "accept").status_code == 200
    return Invoice.objects.get(order_id=order["id"], kind=InvoiceKind.INVOICE)


@pytest.fixture
def loop():
    """Argentine → Uruguayan → Brazilian → Argentine, one invoice each, the last one smaller."""
    ar, uy, br = (CooperativeFactory(name=name) for name in ("Coop AR", "Coop UY", "Coop BR"))
    first = invoice(ar, uy, 500_00)
    second = invoice(uy, br, 500_00)
    third = invoice(br, ar, 300_00)
    consenting(ar, uy, br)
    return (ar, uy, br), (first, second, third)


def test_a_proposal_clears_the_loop_as_far_as_net_positions_allow(loop, moderator):
    (ar, _uy, br), invoices = loop
    left = [inv.amount_due - inv.amount_paid for inv in invoices]
    assert min(left) == left[2] > 0
    run = clearing_run_propose(currency="ARS", actor=moderator)
    assert run.invoice_count == 3
    assert run.volume_amount == sum(left)
    assert run.cleared_amount == 3 * left[2]
    assert {item.invoice_id: item.setoff_amount for item in run.items.all()} == {
        inv.pk: left[2] for inv in invoices
    }
    positions = {p.cooperative_id: p for p in ClearingPosition.objects.filter(run=run)}
    for position in positions.values():
        assert (
            position.owed_before - position.owing_before
            == position.owed_after - position.owing_after
        )
    assert positions[br.pk].owing_after == 0
    assert positions[ar.pk].owing_after == left[0] - left[2]
    assert clearing_run_stale_items(run) == []


def test_other_currencies_and_settled_invoices_stay_out(loop, moderator):
    (ar, uy, _br), invoices = loop
    invoice(uy, ar, 100_00, currency="UYU")
    consenting(uy, ar, currency="UYU")
    paid = invoices[2]
    invoice_payment_record(
        invoice=paid, actor=owner_of(ar), amount=paid.amount_due - paid.amount_paid
    )
    ars = clearing_run_propose(currency="ARS", actor=moderator)
    assert ars.invoice_count == 2
    assert ars.cleared_amount == 0  # what is left is a chain, not a loop
    uyu = clearing_run_propose(currency="UYU", actor=moderator)
    assert (uyu.invoice_count, uyu.cleared_amount) == (1, 0)
    assert not uyu.items.exists()


def test_a_payment_after_the_proposal_makes_it_stale(loop, moderator):
    _coops, invoices = loop
    run = clearing_run_propose(currency="ARS", actor=moderator)
    changed = invoices[0]
    Invoice.objects.filter(pk=changed.pk).update(amount_paid=1)
    assert [item.invoice_id for item in clearing_run_stale_items(run)] == [changed.pk]


def test_an_unknown_currency_is_a_field_error(moderator):
    with pytest.raises(ValidationError) as refused:
        clearing_run_propose(currency="XXQ", actor=moderator)
    assert "currency" in refused.value.message_dict
