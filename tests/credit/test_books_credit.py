"""`ledger_check` agrees with the books after every movement of mutual credit and every executed
clearing run (docs/ledger.md): the entries are posted and re-derived with the same rules of
`orders.books`, so `books_check()` is [] after a checkout in part credit, an invoice paid in
credit, an order paid in credit before its invoice, a cancellation that gives the credits back
and an executed clearing run; and a tampered entry is still reported."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearing.models import ClearingItem
from clearing.services import clearing_run_execute, clearing_run_propose
from ledger.models import EntryKind, JournalEntry
from orders import books
from orders.books_check import books_check
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables.models import InvoicePayment, OrderCreditPayment
from tests.clearing.test_api import committee_member  # noqa: F401  (the fixture)
from tests.clearing.test_runs import loop  # noqa: F401  (the fixture)
from tests.credit.test_credit import pay
from tests.credit.test_selling_for_credit import credit_checkout, market, pay_order  # noqa: F401
from tests.orders.conftest import act, add_to_cart, checkout

pytestmark = pytest.mark.django_db


def credit_entries() -> list[str]:
    return sorted(
        JournalEntry.objects.filter(kind=EntryKind.CREDIT_TRANSFER).values_list("key", flat=True)
    )


def test_a_checkout_in_part_credit_then_an_invoice_paid_in_credit_match_the_records(market):  # noqa: F811
    buyer, buyer_owner, seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)  # 400.00, the seller takes up to 200.00
    order_id = credit_checkout(buyer_owner, buyer, seller, 120_00).json()["orders"][0]["id"]
    assert books_check() == []
    assert act(seller_owner, order_id, "accept").status_code == 200
    assert books_check() == []  # the invoice counts the checkout's credit, posting nothing
    bill = Invoice.objects.get(order_id=order_id, kind=InvoiceKind.INVOICE)
    answer = pay(buyer_owner, bill.pk, 80_00)
    assert answer.status_code == 201, answer.content
    paid = InvoicePayment.objects.filter(invoice=bill).latest("pk")
    [earlier] = OrderCreditPayment.objects.filter(order_id=order_id)
    assert credit_entries() == [
        f"invoice_payment:{paid.pk}",
        f"order_credit:{earlier.pk}",
    ]
    assert books_check() == []

    # The payment row edited by hand: the books no longer match the records.
    InvoicePayment.objects.filter(pk=paid.pk).update(amount=79_00)
    problems = books_check()
    assert (
        f"cooperative {seller.pk} credit/credit ARS with cooperative {buyer.pk}: "
        "the books say 20000, the records 19900"
    ) in problems
    assert len(problems) == 4, problems  # both credit accounts, the payable, the receivable


def test_an_order_paid_in_credit_before_its_invoice_then_cancelled_matches(market):  # noqa: F811
    buyer, buyer_owner, _seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    assert pay_order(buyer_owner, order_id, 150_00).status_code == 201
    assert books_check() == []
    assert act(seller_owner, order_id, "accept").status_code == 200
    assert books_check() == []
    cancelled = act(buyer_owner, order_id, "cancel", reason="Ya no lo necesitamos.")
    assert cancelled.status_code == 200, cancelled.content
    assert f"credit_refund:{order_id}" in credit_entries()
    assert books_check() == []

    # An entry posted outside the rules (credits given back twice) is reported.
    order = Order.objects.select_related("buyer", "seller").get(pk=order_id)
    books.post(books.credit_payment(order, -1_00, key="credit_refund:again"))
    problems = books_check()
    assert "entry credit_refund:again comes from no record" in problems
    assert any(f"cooperative {buyer.pk} credit/credit" in problem for problem in problems)


def test_an_order_paid_in_credit_and_declined_before_its_invoice_matches(market):  # noqa: F811
    buyer, buyer_owner, _seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    assert pay_order(buyer_owner, order_id, 200_00).status_code == 201
    assert act(seller_owner, order_id, "decline", reason="Sin stock.").status_code == 200
    assert len(credit_entries()) == 2
    assert books_check() == []


def test_an_order_paid_wholly_in_credit_before_its_invoice_matches(market):  # noqa: F811
    buyer, buyer_owner, seller, seller_owner, listing = market
    seller.credit_share_bps = 10_000
    seller.save(update_fields=["credit_share_bps"])
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = credit_checkout(buyer_owner, buyer, seller, 400_00).json()["orders"][0]["id"]
    assert act(seller_owner, order_id, "accept").status_code == 200
    assert Invoice.objects.get(order_id=order_id, kind=InvoiceKind.INVOICE).status == "paid"
    assert books_check() == []


def close_orders_paid_in_credit(market, count: int) -> None:  # noqa: F811
    """`count` orders paid 100.00 in credit and closed: before their invoice (cancelled by the
    buyer) and after it (accepted, then cancelled), alternately."""
    buyer, buyer_owner, _seller, seller_owner, listing = market
    for n in range(count):
        add_to_cart(buyer_owner, buyer, listing, 1)
        order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
        assert pay_order(buyer_owner, order_id, 100_00).status_code == 201
        if n % 2:
            assert act(seller_owner, order_id, "accept").status_code == 200
        closed = act(buyer_owner, order_id, "cancel", reason="Ya no lo necesitamos.")
        assert closed.status_code == 200, closed.content


def credit_reads() -> tuple[int, list[str]]:
    """books_check's answer and the queries it made of the credit payments."""
    with CaptureQueriesContext(connection) as queries:
        problems = books_check()
    tables = ("orders_ordercreditpayment", "orders_invoicepayment")
    return len([q for q in queries if any(t in q["sql"] for t in tables)]), problems


def test_the_books_check_reads_closed_orders_credit_in_the_same_queries_however_many(market):  # noqa: F811
    close_orders_paid_in_credit(market, 2)
    few, problems = credit_reads()
    assert problems == []
    close_orders_paid_in_credit(market, 4)
    many, problems = credit_reads()
    assert problems == []
    assert many == few
    assert len(credit_entries()) == 2 * 6  # each order's payment and its credits given back


def test_an_executed_clearing_run_matches_and_a_tampered_one_is_reported(
    loop,  # noqa: F811
    committee_member,  # noqa: F811
):
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert books_check() == []
    clearing_run_execute(run=run, actor=committee_member)
    assert JournalEntry.objects.filter(key=f"clearing_run:{run.pk}").exists()
    assert books_check() == []

    # A run's item edited by hand after the run: its set-off no longer matches the entry.
    item = run.items.order_by("pk").first()
    ClearingItem.objects.filter(pk=item.pk).update(setoff_amount=item.setoff_amount + 1)
    problems = books_check()
    assert len(problems) == 2, problems  # the debtor's payable and the creditor's receivable
    assert any(
        f"cooperative {item.debtor_id} payable ARS with cooperative {item.creditor_id}" in problem
        for problem in problems
    )
