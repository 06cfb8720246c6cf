"""Selling for credit (issue #18, item 3): the seller's accepted share (per cooperative, per
listing, or agreed on the order), a checkout that settles part of each order in credit in the
same transaction or not at all, orders paid in credit before their invoice, and the credits given
back when an order is declined; `POST /credit/payments/` refuses with a 409 naming the problem."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit.models import CreditAccount
from credit.selectors import system_total
from credit.services import balance_of
from ledger.models import EntryKind, JournalEntry
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables.models import InvoicePayment, OrderCreditPayment
from tests.conftest import client_for
from tests.credit.test_credit import join, set_line
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, text
from tests.frontend.ordering import add_to_cart as add_page_line
from tests.frontend.ordering import checkout_form, form_inputs
from tests.orders.conftest import act, add_to_cart, checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(system, pair, committee):
    """Both joined; the buyer has a line of −500.00; the seller takes 50 % in credit and sells
    one listing at 400.00 (stock 10)."""
    (buyer, buyer_owner), (seller, seller_owner) = pair
    join(buyer_owner, system, buyer)
    join(seller_owner, system, seller)
    set_line(committee[0], CreditAccount.objects.get(cooperative=buyer), -500_00, 1_000_00)
    seller.credit_share_bps = 5_000
    seller.save(update_fields=["credit_share_bps"])
    listing = ListingFactory(cooperative=seller, price_amount=400_00, currency="ARS", stock=10)
    return buyer, buyer_owner, seller, seller_owner, listing


def balances(buyer, seller):
    accounts = {a.cooperative_id: a for a in CreditAccount.objects.all()}
    return balance_of(accounts[buyer.pk]), balance_of(accounts[seller.pk])


def credit_checkout(user, buyer, seller, amount, **body):
    return checkout(user, buyer, credit=[{"seller": seller.slug, "credit_amount": amount}], **body)


def pay_order(user, order_id, amount, key=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(
        "/api/v1/credit/payments/", {"order": order_id, "amount": amount}, format="json", **headers
    )


def test_a_checkout_pays_part_of_an_order_in_credit_and_the_invoice_shows_it(system, market):
    buyer, buyer_owner, seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 2)  # 800.00: the seller takes up to 400.00
    placed = credit_checkout(buyer_owner, buyer, seller, 300_00)
    assert placed.status_code == 201, placed.content
    assert balances(buyer, seller) == (-300_00, 300_00)
    assert system_total(system) == 0
    order_id = placed.json()["orders"][0]["id"]

    assert act(seller_owner, order_id, "accept").status_code == 200
    bill = Invoice.objects.get(order_id=order_id, kind=InvoiceKind.INVOICE)
    assert (bill.amount_due, bill.amount_paid, bill.status) == (800_00, 300_00, "partly_paid")
    assert list(bill.payments.values_list("rail", "amount")) == [("credit", 300_00)]
    listed = client_for(buyer_owner).get(f"/api/v1/invoices/?cooperative={buyer.slug}").json()
    assert listed["results"][0]["amount_left"] == 500_00
    # The checkout's one credit entry, nothing posted again when the invoice is issued.
    assert JournalEntry.objects.filter(kind=EntryKind.CREDIT_TRANSFER).count() == 1


@pytest.mark.parametrize(
    ("amount", "share", "code"),
    [
        (400_01, 5_000, "credit_share_exceeded"),
        (100_00, 0, "credit_not_accepted"),
        (100_00, 10_000, None),
    ],
)
def test_a_checkout_past_the_sellers_share_is_refused_whole(market, amount, share, code):
    buyer, buyer_owner, seller, _seller_owner, listing = market
    seller.credit_share_bps = share
    seller.save(update_fields=["credit_share_bps"])
    add_to_cart(buyer_owner, buyer, listing, 2)
    answer = credit_checkout(buyer_owner, buyer, seller, amount)
    if code is None:
        assert answer.status_code == 201, answer.content
        return
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == code
    assert not Order.objects.exists()
    listing.refresh_from_db()
    assert listing.stock == 10  # nothing taken: the whole checkout was refused
    assert balances(buyer, seller) == (0, 0)
    assert not JournalEntry.objects.filter(kind=EntryKind.CREDIT_TRANSFER).exists()


def test_a_checkout_past_the_buyers_line_is_refused_whole(market):
    buyer, buyer_owner, seller, _seller_owner, listing = market
    seller.credit_share_bps = 10_000
    seller.save(update_fields=["credit_share_bps"])
    add_to_cart(buyer_owner, buyer, listing, 2)
    answer = credit_checkout(buyer_owner, buyer, seller, 500_01)
    assert answer.status_code == 409
    assert answer.json()["code"] == "credit_line_exceeded"
    assert not Order.objects.exists() and balances(buyer, seller) == (0, 0)
    assert credit_checkout(buyer_owner, buyer, seller, 500_00).status_code == 201


def test_a_listing_overrides_the_cooperatives_share(market):
    buyer, buyer_owner, seller, seller_owner, listing = market
    patched = client_for(seller_owner).patch(
        f"/api/v1/listings/{listing.pk}/", {"credit_share_bps": 0}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["credit_share_bps"] == 0
    add_to_cart(buyer_owner, buyer, listing, 1)
    refused = credit_checkout(buyer_owner, buyer, seller, 1_00)
    assert refused.json()["code"] == "credit_not_accepted"
    too_much = client_for(seller_owner).patch(
        f"/api/v1/listings/{listing.pk}/", {"credit_share_bps": 10_001}, format="json"
    )
    assert too_much.status_code == 400


def test_the_seller_sets_its_share_on_its_profile(market):
    _buyer, buyer_owner, seller, seller_owner, _listing = market
    url = f"/api/v1/cooperatives/{seller.slug}/"
    assert (
        client_for(seller_owner)
        .patch(url, {"credit_share_bps": 2_500}, format="json")
        .json()["credit_share_bps"]
        == 2_500
    )
    assert (
        client_for(seller_owner).patch(url, {"credit_share_bps": -1}, format="json").status_code
        == 400
    )
    assert (
        client_for(buyer_owner).patch(url, {"credit_share_bps": 0}, format="json").status_code
        == 403
    )
    assert client_for(buyer_owner).get(url).json()["credit_share_bps"] == 2_500


def test_a_card_checkout_takes_no_credit(market):
    buyer, buyer_owner, seller, _seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    answer = credit_checkout(buyer_owner, buyer, seller, 1_00, payment_method="stripe")
    assert answer.status_code in (400, 409)
    assert not Order.objects.exists()


def test_an_order_is_paid_in_credit_before_its_invoice_and_given_back_on_decline(system, market):
    buyer, buyer_owner, seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    paid = pay_order(buyer_owner, order_id, 150_00, key="o1")
    assert paid.status_code == 201, paid.content
    assert paid.json()["invoice"] is None and paid.json()["order"] == order_id
    assert pay_order(buyer_owner, order_id, 150_00, key="o1").status_code == 200  # a retry
    assert OrderCreditPayment.objects.count() == 1
    refused = pay_order(buyer_owner, order_id, 50_01)  # 200.00 is the seller's half
    assert refused.status_code == 409 and refused.json()["code"] == "credit_share_exceeded"
    assert balances(buyer, seller) == (-150_00, 150_00)

    declined = act(seller_owner, order_id, "decline", reason="Sin stock.")
    assert declined.status_code == 200, declined.content
    assert balances(buyer, seller) == (0, 0)
    assert system_total(system) == 0
    closed = pay_order(buyer_owner, order_id, 1_00)
    assert closed.status_code == 409 and closed.json()["code"] == "credit_order_not_open"


def test_a_cancellation_the_seller_cannot_give_back_is_refused(system, pair, market, committee):
    buyer, buyer_owner, seller, seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = credit_checkout(buyer_owner, buyer, seller, 200_00).json()["orders"][0]["id"]
    assert act(seller_owner, order_id, "accept").status_code == 200
    # The seller spends its 200.00 on the buyer's own listing: it is back at 0, with no line.
    buyer.credit_share_bps = 10_000
    buyer.save(update_fields=["credit_share_bps"])
    theirs = ListingFactory(cooperative=buyer, price_amount=200_00, currency="ARS", stock=1)
    add_to_cart(seller_owner, seller, theirs, 1)
    assert credit_checkout(seller_owner, seller, buyer, 200_00).status_code == 201
    assert balances(buyer, seller) == (0, 0)

    refused = act(buyer_owner, order_id, "cancel", reason="Ya no lo necesitamos.")
    assert refused.status_code == 409
    assert refused.json()["code"] == "credit_line_exceeded"
    assert Order.objects.get(pk=order_id).status == "accepted"
    assert not Invoice.objects.filter(order_id=order_id, kind=InvoiceKind.CREDIT_NOTE).exists()


def test_an_agreed_share_on_the_order_is_the_sellers_share(market):
    buyer, buyer_owner, _seller, _seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    Order.objects.filter(pk=order_id).update(credit_share_bps=1_000)  # as an agreement sets it
    assert pay_order(buyer_owner, order_id, 40_01).json()["code"] == "credit_share_exceeded"
    assert pay_order(buyer_owner, order_id, 40_00).status_code == 201


def test_payments_name_what_the_caller_may_not_see_as_404(market, outsider):
    buyer, buyer_owner, _seller, _seller_owner, listing = market
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    assert pay_order(outsider, order_id, 1_00).status_code == 404
    assert pay_order(buyer_owner, 999_999, 1_00).status_code == 404
    both = client_for(buyer_owner).post(
        "/api/v1/credit/payments/", {"order": order_id, "invoice": 1, "amount": 1}, format="json"
    )
    assert both.status_code == 400
    assert not InvoicePayment.objects.exists() and not OrderCreditPayment.objects.exists()


def test_an_invoice_of_a_seller_that_takes_no_credit_is_refused(market):
    buyer, buyer_owner, seller, seller_owner, listing = market
    seller.credit_share_bps = 0
    seller.save(update_fields=["credit_share_bps"])
    add_to_cart(buyer_owner, buyer, listing, 1)
    order_id = checkout(buyer_owner, buyer).json()["orders"][0]["id"]
    act(seller_owner, order_id, "accept")
    answer = pay_order(buyer_owner, order_id, 1_00)  # the order's invoice, once issued
    assert answer.status_code == 409 and answer.json()["code"] == "credit_not_accepted"


def test_the_checkout_page_offers_credit_per_seller_and_settles_it(market):
    buyer, buyer_owner, seller, _seller_owner, listing = market
    browser = browser_for(buyer_owner)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    add_page_line(browser, buyer, listing, quantity=2)  # 800,00: the seller takes up to 400,00
    form = checkout_form(browser, buyer)
    field = f"credit_{seller.slug}"
    assert field in form
    page = text(browser.get(f"/checkout/?cooperative={buyer.slug}"))
    assert "Pagado en crédito mutuo a Coop Vende" in page
    assert "400,00" in page and "500,00" in page  # the seller's most, the buyer's available

    form[field] = "1.000,00"  # more than the seller takes: shown on the page, nothing ordered
    refused = browser.post("/checkout/", form)
    assert refused.status_code in (200, 409) and not Order.objects.exists()
    form = checkout_form(browser, buyer)
    form[field] = "150,50"
    placed = browser.post("/checkout/", form)
    assert placed.status_code == 302, text(placed)
    assert balances(buyer, seller) == (-150_50, 150_50)


def test_the_seller_chooses_its_share_on_its_profile_page(market):
    _buyer, _buyer_owner, seller, seller_owner, _listing = market
    browser = browser_for(seller_owner)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "pt-br"
    page = browser.get(f"/my/cooperatives/{seller.slug}/edit/")
    assert page.status_code == 200
    form = form_inputs(text(page), f"/my/cooperatives/{seller.slug}/edit/")
    assert form["credit_share_bps"] == "5000"
    form["credit_share_bps"] = "2500"
    saved = browser.post(f"/my/cooperatives/{seller.slug}/edit/", form)
    assert saved.status_code == 302, text(saved)
    seller.refresh_from_db()
    assert seller.credit_share_bps == 2_500


# What settling one more order in credit at checkout costs: the payment row and its journal
# entry (the system, the credit accounts locked, both balances, the four ledger accounts (the
# seller's receivable made on its first sale), the entry's key checked, the entry and its lines,
# in three savepoints). The seller's share is taken from the listings the checkout locked, so the listings,
# invoices and earlier payments are not read again per order.
CREDIT_ORDER_QUERIES = 19
SHARE_TABLES = (
    'FROM "marketplace_listing"',
    'FROM "orders_invoice"',
    '"orders_ordercreditpayment"."order_id" =',
)


def test_a_checkout_paying_several_sellers_in_credit_reads_their_shares_once(
    system, pair, committee
):
    (buyer, buyer_owner), _ = pair
    join(buyer_owner, system, buyer)
    set_line(committee[0], CreditAccount.objects.get(cooperative=buyer), -5_000_00, 10_000_00)
    counts, share_reads = {}, {}
    for sellers in (1, 2, 4):  # the first warms what a process reads once (content types)
        asked = []
        for _ in range(sellers):
            seller = CooperativeFactory(credit_share_bps=5_000)
            join(MembershipFactory(cooperative=seller, role="owner").user, system, seller)
            listing = ListingFactory(cooperative=seller, price_amount=100_00, currency="ARS")
            add_to_cart(buyer_owner, buyer, listing, 1)
            asked.append({"seller": seller.slug, "credit_amount": 50_00})
        with CaptureQueriesContext(connection) as queries:
            placed = checkout(buyer_owner, buyer, key=f"credit-{sellers}", credit=asked)
        assert placed.status_code == 201, placed.content
        counts[sellers] = len(queries)
        share_reads[sellers] = sum(
            any(table in query["sql"] for table in SHARE_TABLES) for query in queries
        )
    assert OrderCreditPayment.objects.count() == 7
    assert share_reads[4] == share_reads[2], share_reads
    assert (counts[4] - counts[2]) / 2 <= CREDIT_ORDER_QUERIES, counts
