"""Requests for quotes: who may quote, counters as immutable versions, awards into orders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cooperatives.state import VerificationStatus
from core.errors import DomainError, NotFound
from marketplace.models import Listing
from orders.models import Invoice, InvoiceKind, Order
from orders.selectors import invoice_issued_on
from orders.services import order_accept, rfq_award
from quotes import services
from quotes.models import Quote, QuoteVersion, Rfq, RfqMessage
from quotes.state import QuoteStatus, RfqStatus
from tests.conftest import client_for
from tests.factories import CategoryFactory, ListingFactory
from tests.quotes.helpers import publish, seller, terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def printers():  # type: ignore[no-untyped-def]
    return [seller(name) for name in ("Gráfica Patria AR", "Imprenta Cooperal UY", "Gráfica Sur")]


def test_private_request_is_quoted_only_by_invited_sellers(
    buyer_coop, buyer_owner, printers, django_capture_on_commit_callbacks
):
    (a, a_owner), (b, b_owner), (c, c_owner) = printers
    with django_capture_on_commit_callbacks(execute=True):
        rfq = publish(buyer_coop, buyer_owner, [a, b])
    services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(120_00))
    with pytest.raises(NotFound):
        services.quote_submit(rfq=rfq, seller=c, actor=c_owner, terms=terms(100_00))
    assert Quote.objects.filter(rfq=rfq).count() == 1
    # The invited sellers' owners were told, in e-mail.
    assert {m.to[0] for m in mail.outbox} >= {a_owner.email, b_owner.email}


def test_open_request_tells_matching_sellers(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks
):
    printing = CategoryFactory(name="Imprenta")
    near, near_owner = seller("Imprenta del Sur")
    near.region = "Montevideo"
    near.save()
    far, _far_owner = seller("Imprenta del Norte")
    far.region = "Salta"
    far.save()
    for cooperative in (near, far):
        ListingFactory(cooperative=cooperative, category=printing)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            buyer_coop, buyer_owner, [], visibility="open", category=printing, region="Montevideo"
        )
    assert [m.to[0] for m in mail.outbox] == [near_owner.email]


@pytest.mark.parametrize("region", ["", "Montevideo"])
def test_the_sellers_told_of_an_open_request_are_those_who_may_see_it(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks, region
):
    """One rule (`quotes.permissions.rfq_for_sellers`) decides who is told of a new request and
    who may open and answer it: every seller below gets the e-mail exactly when it can read the
    request through the API."""
    printing = CategoryFactory(name="Imprenta")
    offset = CategoryFactory(name="Offset", slug="offset", path="/imprenta/offset/")
    textiles = CategoryFactory(name="Textiles")
    sellers = {
        "in the category": (printing, "published", "Montevideo"),
        "below it": (offset, "published", "montevideo"),
        "elsewhere": (printing, "published", "Salta"),
        "in another category": (textiles, "published", "Montevideo"),
        "with a draft only": (printing, "draft", "Montevideo"),
    }
    owners = {}
    for name, (category, status, where) in sellers.items():
        cooperative, owners[name] = seller(f"Gráfica {name}")
        cooperative.region = where
        cooperative.save(update_fields=["region"])
        ListingFactory(cooperative=cooperative, category=category, status=status)
    ListingFactory(cooperative=buyer_coop, category=printing)  # never its own request's seller
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rfq = publish(
            buyer_coop, buyer_owner, [], visibility="open", category=printing, region=region
        )
    told = {name for name, owner in owners.items() for m in mail.outbox if m.to == [owner.email]}
    may_see = {
        name
        for name, owner in owners.items()
        if client_for(owner).get(f"/api/v1/rfqs/{rfq.pk}/").status_code == 200
    }
    expected = {"in the category", "below it"} | ({"elsewhere"} if not region else set())
    assert told == may_see == expected
    assert buyer_owner.email not in {m.to[0] for m in mail.outbox}


def test_bad_request_names_the_fields(buyer_coop, buyer_owner, printers):
    with pytest.raises(ValidationError) as error:
        publish(buyer_coop, buyer_owner, [], answers_due_at=timezone.now() - timedelta(hours=1))
    assert {"invited", "answers_due_at"} <= set(error.value.message_dict)


def test_a_suspended_cooperative_is_not_asked_it_could_not_answer(  # type: ignore[no-untyped-def]
    buyer_coop, buyer_owner, printers
):
    (a, _), (b, _) = printers[:2]
    b.verification_status = VerificationStatus.SUSPENDED
    b.save()
    with pytest.raises(ValidationError) as error:
        publish(buyer_coop, buyer_owner, [a, b])
    assert b.name in " ".join(error.value.message_dict["invited"])
    assert not Rfq.objects.exists()  # nothing half-published, nobody told
    assert mail.outbox == []
    with translation.override("es"), pytest.raises(ValidationError) as error:
        publish(buyer_coop, buyer_owner, [b])  # in the reader's language
    assert "está suspendida por los moderadores" in error.value.message_dict["invited"][0]
    assert publish(buyer_coop, buyer_owner, [a]).invited.get() == a


def test_a_seller_suspended_after_quoting_counters_no_further(  # type: ignore[no-untyped-def]
    buyer_coop, buyer_owner, printers
):
    (a, a_owner), _b, _c = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(120_00))
    services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(110_00))
    a.verification_status = VerificationStatus.SUSPENDED
    a.save()
    with pytest.raises(DomainError) as refused:
        services.quote_counter(quote=quote, actor=a_owner, terms=terms(115_00))
    assert refused.value.code == "cooperative_suspended"
    assert quote.versions.count() == 2  # nothing written


def test_counters_are_new_versions_and_bounded(buyer_coop, buyer_owner, printers):
    (a, a_owner), *_ = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(120_00))
    first = quote.versions.get()
    services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(100_00))
    services.quote_counter(quote=quote, actor=a_owner, terms=terms(110_00))
    services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(105_00))
    with pytest.raises(DomainError) as error:
        services.quote_counter(quote=quote, actor=a_owner, terms=terms(107_00))
    assert error.value.code == "counter_limit_reached"
    assert [v.lines.get().unit_price_amount for v in quote.versions.all()] == [
        120_00,
        100_00,
        110_00,
        105_00,
    ]
    first.refresh_from_db()
    assert first.total_amount == 120_00 * 1000  # version 1 untouched


def test_award_of_an_older_version_is_refused(buyer_coop, buyer_owner, printers):
    (a, a_owner), *_ = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(120_00))
    services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(100_00))
    v3 = services.quote_counter(quote=quote, actor=a_owner, terms=terms(110_00))
    v4 = services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(105_00))
    assert (v3.number, v4.number) == (3, 4)
    with pytest.raises(DomainError) as error:
        rfq_award(rfq=rfq, actor=buyer_owner, awards=[(v3.pk, None)])
    assert error.value.code == "quote_version_outdated"
    assert not Order.objects.exists()
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.OPEN


def test_award_makes_an_order_at_the_quoted_price_and_terms(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), _ = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    listing = ListingFactory(cooperative=a, price_amount=999_00, currency="UYU")
    quote_a = services.quote_submit(
        rfq=rfq,
        seller=a,
        actor=a_owner,
        terms=terms(95_00, payment_terms_days=60, credit_share_bps=5000),
    )
    quote_b = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(90_00))
    version = quote_a.versions.get()
    orders = rfq_award(rfq=rfq, actor=buyer_owner, awards=[(version.pk, None)])
    assert len(orders) == 1
    Listing.objects.filter(pk=listing.pk).update(price_amount=1_500_00)
    order = Order.objects.get()
    assert (order.seller, order.total_amount) == (a, 95_00 * 1000)
    assert order.lines.get().unit_price_amount == 95_00
    assert (order.payment_terms_days, order.credit_share_bps) == (60, 5000)
    assert order.quote_version == version
    quote_a.refresh_from_db()
    quote_b.refresh_from_db()
    assert (quote_a.status, quote_b.status) == (QuoteStatus.AWARDED, QuoteStatus.NOT_AWARDED)
    # The same award again is a replay; another award is a 409.
    assert rfq_award(rfq=rfq, actor=buyer_owner, awards=[(version.pk, None)]) == orders
    with pytest.raises(DomainError) as error:
        rfq_award(rfq=rfq, actor=buyer_owner, awards=[(quote_b.versions.get().pk, None)])
    assert error.value.code == "rfq_already_awarded"
    assert Order.objects.count() == 1


def test_split_award_across_two_sellers(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), _ = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b], is_single_award=False)
    va = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(95_00)).versions.get()
    vb = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(90_00)).versions.get()
    orders = rfq_award(rfq=rfq, actor=buyer_owner, awards=[(va.pk, 400), (vb.pk, 600)])
    assert sorted(o.total_amount for o in orders) == [400 * 95_00, 600 * 90_00]


def test_single_award_request_refuses_a_split(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), _ = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    va = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(95_00)).versions.get()
    vb = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(90_00)).versions.get()
    with pytest.raises(ValidationError):
        rfq_award(rfq=rfq, actor=buyer_owner, awards=[(va.pk, None), (vb.pk, None)])
    assert not Order.objects.exists()


def test_expired_quotes_and_requests_close_by_themselves(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, _), _ = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quiet = publish(buyer_coop, buyer_owner, [b])
    quote = services.quote_submit(
        rfq=rfq,
        seller=a,
        actor=a_owner,
        terms=terms(95_00, valid_until=timezone.localdate() + timedelta(days=2)),
    )
    later = timezone.now() + timedelta(days=10)
    assert services.quotes_close_expired(now=later) == 3  # the quote, then both requests
    assert services.quotes_close_expired(now=later) == 0
    quote.refresh_from_db()
    rfq.refresh_from_db()
    quiet.refresh_from_db()
    assert (quote.status, rfq.status, quiet.status) == (
        QuoteStatus.EXPIRED,
        RfqStatus.EXPIRED,
        RfqStatus.EXPIRED,
    )


def test_messages_are_between_the_buyer_and_one_seller(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), (c, c_owner) = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    services.message_post(rfq=rfq, seller=a, actor=a_owner, body="¿Papel de 150 g?")
    with pytest.raises(NotFound):
        services.message_post(rfq=rfq, seller=c, actor=c_owner, body="hola")
    with pytest.raises(NotFound):
        services.message_post(rfq=rfq, seller=a, actor=b_owner, body="hola")
    # The buyer writes to the sellers its request is for, not to a cooperative it did not invite.
    services.message_post(rfq=rfq, seller=b, actor=buyer_owner, body="¿Plazo?")
    with pytest.raises(NotFound):
        services.message_post(rfq=rfq, seller=c, actor=buyer_owner, body="hola")
    with pytest.raises(NotFound):
        services.message_post(rfq=rfq, seller=buyer_coop, actor=buyer_owner, body="hola")
    assert not RfqMessage.objects.filter(rfq=rfq, seller__in=[c, buyer_coop]).exists()


def test_versions_are_never_rewritten():
    assert not any(name.startswith("quoteversion_update") for name in dir(services)), (
        "no service changes a version"
    )
    assert QuoteVersion._meta.get_field("number").editable


def test_the_invoice_of_an_awarded_order_falls_due_by_the_quoted_terms(
    buyer_coop, buyer_owner, printers
):
    (a, a_owner), _, _ = printers
    assert a.payment_terms_days != 60  # the seller's usual terms differ from the quote's
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(
        rfq=rfq, seller=a, actor=a_owner, terms=terms(95_00, payment_terms_days=60)
    )
    (order,) = rfq_award(rfq=rfq, actor=buyer_owner, awards=[(quote.versions.get().pk, None)])
    order_accept(order=order, actor=a_owner)
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
    assert invoice.due_date == invoice_issued_on(invoice) + timedelta(days=60)
