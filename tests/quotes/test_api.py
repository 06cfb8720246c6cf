"""The quotes API as its clients meet it: who gets a 404, the 409s and their codes, awards at
the quoted price, the split award, the agreed terms on a normal checkout's invoice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import NotFound
from marketplace.models import Listing
from marketplace.state import ListingStatus
from orders.models import Invoice, Order
from orders.selectors import invoice_issued_on
from orders.services import order_accept
from quotes import services
from quotes.models import Agreement, BuyerGroup, Quote, RfqMessage
from tests.conftest import client_for
from tests.factories import ListingFactory
from tests.quotes import helpers
from tests.quotes.helpers import open_printing_request, publish, seller, terms

pytestmark = pytest.mark.django_db


def _terms(unit_price: int, quantity: int = 1000) -> dict[str, object]:
    return {
        "currency": "UYU",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "lead_time_days": 10,
        "payment_terms_days": 60,
        "credit_share_bps": 2000,
        "lines": [
            {
                "description": "Folletos A5",
                "quantity": quantity,
                "unit": "unit",
                "unit_price_amount": unit_price,
            }
        ],
    }


@pytest.fixture
def printers():  # type: ignore[no-untyped-def]
    return [seller(name) for name in ("Gráfica Patria AR", "Imprenta Cooperal", "Gráfica Sur")]


def test_a_cooperative_not_invited_gets_404_on_the_request_its_quotes_and_messages(
    buyer_coop, buyer_owner, printers
):
    (a, a_owner), (_b, _b_owner), (c, c_owner) = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(100))
    outsider = client_for(c_owner)
    for path in (f"/api/v1/rfqs/{rfq.pk}/", f"/api/v1/rfqs/{rfq.pk}/quotes/"):
        assert outsider.get(path).status_code == 404
    messages = f"/api/v1/rfqs/{rfq.pk}/messages/?seller={a.slug}"
    assert outsider.get(messages).status_code == 404
    assert outsider.post(messages, {"body": "Hola"}, format="json").status_code == 404
    assert (
        outsider.post(f"/api/v1/rfqs/{rfq.pk}/quotes/", _terms(90), format="json").status_code
        == 404
    )
    assert (
        outsider.post(f"/api/v1/quotes/{quote.pk}/counter/", _terms(90), format="json").status_code
        == 404
    )
    listed = outsider.get(f"/api/v1/rfqs/?cooperative={c.slug}").json()
    assert listed["count"] == 0
    # The invited seller sees it, quotes, and reads its own thread.
    seller_client = client_for(a_owner)
    assert seller_client.get(f"/api/v1/rfqs/{rfq.pk}/").json()["title"] == rfq.title
    assert seller_client.get(f"/api/v1/rfqs/?cooperative={a.slug}").json()["count"] == 1


def test_quote_counter_and_the_counter_limit(buyer_coop, buyer_owner, printers):
    (a, a_owner), _b, _c = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    created = client_for(a_owner).post(f"/api/v1/rfqs/{rfq.pk}/quotes/", _terms(120), format="json")
    assert created.status_code == 201, created.json()
    quote_id = created.json()["id"]
    again = client_for(a_owner).post(f"/api/v1/rfqs/{rfq.pk}/quotes/", _terms(110), format="json")
    assert (again.status_code, again.json()["code"]) == (409, "quote_exists")
    sides = [buyer_owner, a_owner, buyer_owner]  # three counters: versions 2, 3, 4
    for n, actor in enumerate(sides):
        # Without the trailing slash too.
        path = f"/api/v1/quotes/{quote_id}/counter" + ("/" if n % 2 else "")
        answer = client_for(actor).post(path, _terms(110 - n), format="json")
        assert answer.status_code == 201, answer.json()
    body = client_for(buyer_owner).get(f"/api/v1/rfqs/{rfq.pk}/quotes/").json()["results"][0]
    assert [v["number"] for v in body["versions"]] == [1, 2, 3, 4]
    assert body["versions"][-1]["lines"][0]["unit_price_amount"] == 108
    refused = client_for(a_owner).post(
        f"/api/v1/quotes/{quote_id}/counter/", _terms(100), format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "counter_limit_reached")
    invalid = client_for(a_owner).post(
        f"/api/v1/quotes/{quote_id}/counter/", {**_terms(100), "lines": []}, format="json"
    )
    assert invalid.status_code == 400 and "lines" in invalid.json()


def test_award_of_an_outdated_version_is_refused_and_the_latest_keeps_its_price(
    buyer_coop, buyer_owner, printers
):
    (a, a_owner), _b, _c = printers
    listing = ListingFactory(cooperative=a, price_amount=999_00, currency="UYU")
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(130_00, 10))
    for price, actor in ((120_00, buyer_owner), (125_00, a_owner), (122_00, buyer_owner)):
        services.quote_counter(quote=quote, actor=actor, terms=terms(price, 10))
    v3, v4 = quote.versions.get(number=3), quote.versions.get(number=4)
    client = client_for(buyer_owner)
    award = f"/api/v1/rfqs/{rfq.pk}/award/"
    old = client.post(
        award, {"awards": [{"version": v3.pk}]}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert (old.status_code, old.json()["code"]) == (409, "quote_version_outdated")
    missing_key = client.post(award, {"awards": [{"version": v4.pk}]}, format="json")
    assert missing_key.status_code == 400 and "idempotency_key" in missing_key.json()
    made = client.post(
        award, {"awards": [{"version": v4.pk}]}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert made.status_code == 201, made.json()
    (order,) = made.json()
    assert order["lines"][0]["unit_price_amount"] == 122_00
    assert (order["payment_terms_days"], order["credit_share_bps"]) == (30, 0)
    # A retry is the same orders, said so; the same key for another award is a 422.
    retry = client.post(
        award.rstrip("/"),
        {"awards": [{"version": v4.pk}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert [o["id"] for o in retry.json()] == [order["id"]]
    # The listing's public price moves; the awarded order keeps the quoted one.
    Listing.objects.filter(pk=listing.pk).update(price_amount=1_500_00)
    shown = client.get(f"/api/v1/orders/{order['id']}/").json()
    assert shown["lines"][0]["unit_price_amount"] == 122_00
    assert shown["total_amount"] == order["total_amount"]


def test_split_award_makes_one_order_per_seller(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), _c = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b], is_single_award=False)
    va = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(100, 1000))
    vb = services.quote_submit(rfq=rfq, seller=b, actor=b_owner, terms=terms(95, 1000))
    body = {
        "awards": [
            {"version": va.versions.get().pk, "quantity": 600},
            {"version": vb.versions.get().pk, "quantity": 400},
        ]
    }
    made = client_for(buyer_owner).post(
        f"/api/v1/rfqs/{rfq.pk}/award/", body, format="json", HTTP_IDEMPOTENCY_KEY="split"
    )
    assert made.status_code == 201, made.json()
    got = {
        (o["seller"]["slug"], o["lines"][0]["quantity"], o["lines"][0]["unit_price_amount"])
        for o in made.json()
    }
    assert got == {(a.slug, 600, 100), (b.slug, 400, 95)}
    assert client_for(buyer_owner).get(f"/api/v1/rfqs/{rfq.pk}/").json()["status"] == "awarded"


def test_withdraw_is_the_sellers_and_ends_the_quote(buyer_coop, buyer_owner, printers):
    (a, a_owner), _b, _c = printers
    rfq = publish(buyer_coop, buyer_owner, [a])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(100))
    by_buyer = client_for(buyer_owner).post(f"/api/v1/quotes/{quote.pk}/withdraw/")
    assert by_buyer.status_code == 403
    done = client_for(a_owner).post(f"/api/v1/quotes/{quote.pk}/withdraw")
    assert (done.status_code, done.json()["status"]) == (200, "withdrawn")
    again = client_for(a_owner).post(f"/api/v1/quotes/{quote.pk}/withdraw/")
    assert (again.status_code, again.json()["code"]) == (409, "transition_not_allowed")
    award = client_for(buyer_owner).post(
        f"/api/v1/rfqs/{rfq.pk}/award/",
        {"awards": [{"version": quote.versions.get().pk}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="w",
    )
    assert (award.status_code, award.json()["code"]) == (409, "quote_not_awardable")


def test_messages_thread_between_buyer_and_one_seller(buyer_coop, buyer_owner, printers):
    (a, a_owner), (b, b_owner), (stranger, _stranger_owner) = printers
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    path = f"/api/v1/rfqs/{rfq.pk}/messages/"
    assert client_for(a_owner).post(path, {"body": "¿Gramaje?"}, format="json").status_code == 201
    answer = client_for(buyer_owner).post(path, {"body": "120 g", "seller": a.slug}, format="json")
    assert answer.status_code == 201
    thread = client_for(buyer_owner).get(f"{path}?seller={a.slug}").json()["results"]
    assert [(m["author_side"], m["body"]) for m in thread] == [
        ("seller", "¿Gramaje?"),
        ("buyer", "120 g"),
    ]
    assert client_for(b_owner).get(path).json()["results"] == []
    assert client_for(b_owner).get(f"{path}?seller={a.slug}").status_code == 404
    assert client_for(buyer_owner).get(f"{path}?seller={stranger.slug}").status_code == 404


def test_publish_request_in_the_readers_language(buyer_coop, buyer_owner, printers):
    (a, _a_owner), _b, _c = printers
    client = client_for(buyer_owner)
    body = {
        "cooperative": buyer_coop.slug,
        "title": "Folletos",
        "specification": "A5",
        "quantity": 1000,
        "unit": "unit",
        "delivery_place": "Montevideo",
        "delivery_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "answers_due_at": (timezone.now() + timedelta(days=7)).isoformat(),
        "visibility": "private",
    }
    refused = client.post("/api/v1/rfqs/", body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 400
    assert refused.json()["invited"] == ["Indica al menos una cooperativa a la que preguntar."]
    made = client.post("/api/v1/rfqs/", {**body, "invited": [a.slug]}, format="json")
    assert made.status_code == 201 and made.json()["buyer"]["slug"] == buyer_coop.slug


@pytest.fixture
def federation(seller_coop, seller_owner, buyer_coop):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, price_amount=50_00, currency="ARS", stock=100)
    group = BuyerGroup.objects.create(seller=seller_coop, name="FACTA")
    group.members.add(buyer_coop)
    return listing, group


def test_agreement_propose_accept_end_over_the_api(
    federation, seller_coop, seller_owner, buyer_coop, buyer_owner
):
    listing, group = federation
    proposed = client_for(seller_owner).post(
        "/api/v1/agreements/",
        {
            "cooperative": seller_coop.slug,
            "buyer_group": group.pk,
            "name": "FACTA 2027",
            "currency": "ARS",
            "payment_terms_days": 45,
            "credit_share_bps": 5000,
            "valid_from": "2026-01-01",
            "valid_until": "2099-12-31",
            "prices": [{"listing": listing.pk, "min_quantity": 10, "fixed_price_amount": 40_00}],
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    agreement_id = proposed.json()["id"]
    by_seller = client_for(seller_owner).post(f"/api/v1/agreements/{agreement_id}/accept/")
    assert by_seller.status_code == 403
    accepted = client_for(buyer_owner).post(f"/api/v1/agreements/{agreement_id}/accept")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")
    mine = client_for(buyer_owner).get(f"/api/v1/agreements/?cooperative={buyer_coop.slug}")
    assert [a["id"] for a in mine.json()["results"]] == [agreement_id]
    ended = client_for(buyer_owner).post(f"/api/v1/agreements/{agreement_id}/end/")
    assert (ended.status_code, ended.json()["status"]) == (200, "ended")
    again = client_for(seller_owner).post(f"/api/v1/agreements/{agreement_id}/end/")
    assert again.status_code == 409


def test_an_agreement_cannot_price_another_cooperatives_listing(
    federation, seller_coop, seller_owner, buyer_coop
):
    """Naming another cooperative's listing (a draft, say) would show its title on the
    agreement's page: refused, in the reader's language, and nothing is written."""
    _listing, group = federation
    theirs = ListingFactory(cooperative=buyer_coop, status="draft", title="Secret recipe")
    refused = client_for(seller_owner).post(
        "/api/v1/agreements/",
        {
            "cooperative": seller_coop.slug,
            "buyer_group": group.pk,
            "name": "FACTA 2027",
            "currency": "ARS",
            "payment_terms_days": 45,
            "valid_from": "2026-01-01",
            "valid_until": "2099-12-31",
            "prices": [{"listing": theirs.pk, "discount_bps": 1000}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert refused.status_code == 400
    assert refused.json()["prices"] == ["Pon precio solo a productos de tu propia cooperativa."]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "unit_price", "terms_days", "credit_share"),
    [(12, 40_00, 45, 5000), (2, 50_00, None, None)],  # from 10 units the agreement prices it
)
def test_checkout_priced_by_an_agreement_carries_its_terms_to_the_invoice(
    federation,
    seller_coop,
    seller_owner,
    buyer_coop,
    buyer_owner,
    quantity,
    unit_price,
    terms_days,
    credit_share,
):
    listing, group = federation
    seller_coop.payment_terms_days = 15
    seller_coop.save()
    tiers = [{"listing": listing, "min_quantity": 10, "fixed_price_amount": 40_00}]
    helpers.agreement(
        seller_coop,
        seller_owner,
        listing,
        (buyer_coop, buyer_owner),
        buyer_group=group,
        credit_share_bps=5000,
        prices=tiers,
    )
    placed = client_for(buyer_owner).post(
        "/api/v1/checkout/",
        {
            "cooperative": buyer_coop.slug,
            "payment_method": "invoice",
            "lines": [{"listing": listing.pk, "quantity": quantity}],
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="agreed-terms",
    )
    assert placed.status_code == 201, placed.json()
    order = Order.objects.get(buyer=buyer_coop)
    assert order.lines.get().unit_price_amount == unit_price
    assert (order.payment_terms_days, order.credit_share_bps) == (terms_days, credit_share)
    order_accept(order=order, actor=seller_owner)
    invoice = Invoice.objects.get(order=order, kind="invoice")
    assert invoice.due_date == invoice_issued_on(invoice) + timedelta(days=terms_days or 15)


def test_standing_order_over_the_api(
    federation, seller_coop, seller_owner, buyer_coop, buyer_owner
):
    listing, group = federation
    agreement = helpers.agreement(
        seller_coop, seller_owner, listing, (buyer_coop, buyer_owner), buyer_group=group
    )
    client = client_for(buyer_owner)
    made = client.post(
        "/api/v1/standing-orders/",
        {
            "cooperative": buyer_coop.slug,
            "agreement": agreement.pk,
            "schedule": "weekly",
            "starts_on": (timezone.localdate() - timedelta(weeks=1)).isoformat(),
            "lines": [{"listing": listing.pk, "quantity": 30}],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    standing_id = made.json()["id"]
    services.standing_orders_draft()
    listed = client.get(f"/api/v1/standing-orders/?cooperative={buyer_coop.slug}").json()
    first, second = listed["results"][0]["drafts"]
    skipped = client.post(f"/api/v1/standing-orders/{standing_id}/drafts/{first['id']}/skip")
    assert skipped.status_code == 200
    confirmed = client.post(f"/api/v1/standing-orders/{standing_id}/drafts/{second['id']}/confirm/")
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()[0]["lines"][0]["unit_price_amount"] == 40_00
    listing.refresh_from_db()
    assert listing.stock == 70
    twice = client.post(f"/api/v1/standing-orders/{standing_id}/drafts/{second['id']}/confirm/")
    assert twice.status_code == 409


def test_an_open_request_is_closed_to_a_cooperative_outside_its_category(buyer_coop, buyer_owner):
    """The category rule of the lists holds on the request's id too: a cooperative that sells
    food cannot open, quote on or be written to about a printing request."""
    rfq, (grocer, grocer_owner), (printer, printer_owner) = open_printing_request(
        buyer_coop, buyer_owner
    )
    grocer_api = client_for(grocer_owner)
    assert grocer_api.get(f"/api/v1/rfqs/{rfq.pk}/").status_code == 404
    quoted = grocer_api.post(
        f"/api/v1/rfqs/{rfq.pk}/quotes/", {**_terms(90), "cooperative": grocer.slug}, format="json"
    )
    assert quoted.status_code == 404
    with pytest.raises(NotFound):
        services.quote_submit(rfq=rfq, seller=grocer, actor=grocer_owner, terms=terms(90))
    # The buyer cannot open a thread with a cooperative the request never reached.
    buyer_api = client_for(buyer_owner)
    thread = f"/api/v1/rfqs/{rfq.pk}/messages/?seller={grocer.slug}"
    assert buyer_api.get(thread).status_code == 404
    posted = buyer_api.post(
        f"/api/v1/rfqs/{rfq.pk}/messages/", {"body": "¿Cotizan?", "seller": grocer.slug}
    )
    assert posted.status_code == 404
    assert not RfqMessage.objects.filter(rfq=rfq).exists()
    assert not Quote.objects.filter(rfq=rfq).exists()
    # The printer, in the category, quotes; it keeps its quote when its listing is archived.
    printer_api = client_for(printer_owner)
    sent = printer_api.post(
        f"/api/v1/rfqs/{rfq.pk}/quotes/", {**_terms(90), "cooperative": printer.slug}, format="json"
    )
    assert sent.status_code == 201
    Listing.objects.filter(cooperative=printer).update(status=ListingStatus.ARCHIVED)
    quote = Quote.objects.get(rfq=rfq)
    services.quote_counter(quote=quote, actor=buyer_owner, terms=terms(80))
    answer = printer_api.post(f"/api/v1/quotes/{quote.pk}/counter/", _terms(85), format="json")
    assert answer.status_code == 201, answer.content
