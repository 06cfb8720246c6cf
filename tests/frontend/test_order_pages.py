"""Order pages: the list with its filters, the detail with its timeline and actions, the message
thread, the invoice and credit note; what outsiders may not see is a 404."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperatives.permissions import forget_roles
from orders import services as order_services
from orders.models import Message, Order
from orders.state import OrderStatus
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import HTMX, browser_for, elements, messages_of, text
from tests.frontend.ordering import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(seller_coop):  # type: ignore[no-untyped-def]
    return ListingFactory(
        cooperative=seller_coop, title="Remeras", price_amount=1_000_00, currency="ARS", stock=10
    )


@pytest.fixture
def order(buyer_coop, buyer_owner, listing):  # type: ignore[no-untyped-def]
    return place_order(buyer_owner, buyer_coop, listing, quantity=3)


def act(user, order, action, **data):  # type: ignore[no-untyped-def]
    return browser_for(user).post(f"/orders/{order.pk}/{action}/", data, follow=True)


def test_seller_accepts_and_fulfils_buyer_completes_and_both_see_the_timeline(
    order, buyer_owner, seller_admin, django_capture_on_commit_callbacks
):
    seller = browser_for(seller_admin)
    page = text(seller.get(f"/orders/{order.pk}/"))
    assert "Accept the order" in page and "Decline the order" in page
    assert "Confirm receipt" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = act(seller_admin, order, "accept", reason="Sale el jueves.")
    assert f"You accepted order #{order.pk}." in text(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert any(f"/orders/{order.pk}/" in message.body for message in mail.outbox)

    response = act(seller_admin, order, "fulfil")
    assert f"Order #{order.pk} is marked fulfilled." in text(response)
    buyer_page = text(browser_for(buyer_owner).get(f"/orders/{order.pk}/"))
    assert "Confirm receipt" in buyer_page and "Mark as fulfilled" not in buyer_page
    response = act(buyer_owner, order, "complete")
    assert "is completed" in text(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED

    for user in (buyer_owner, seller_admin):
        html = text(browser_for(user).get(f"/orders/{order.pk}/"))
        timeline = html.split('id="timeline-heading"')[1]
        positions = [
            timeline.index(label)
            for label in ("Placed", "Accepted", "Invoice issued", "Fulfilled", "Completed")
        ]
        assert positions == sorted(positions)
        assert "Sale el jueves." in timeline
        assert f"by {seller_admin.name} (seller)" in timeline
        assert f"by {buyer_owner.name} (buyer)" in timeline
        assert "Cancel the order" not in html and "Confirm receipt" not in html
    # The seller may still confirm the bank transfer.
    assert "Mark the invoice paid" in text(browser_for(seller_admin).get(f"/orders/{order.pk}/"))


def test_actions_update_the_order_in_place_with_htmx(order, seller_owner):
    browser = browser_for(seller_owner)
    html = text(browser.get(f"/orders/{order.pk}/"))
    region = next(a for tag, a in elements(html).tags if a.get("id") == "order")
    assert (region["hx-select"], region["hx-select-oob"]) == ("#order", "#messages")
    assert f'hx-post="/orders/{order.pk}/accept/"' in html
    response = browser.post(f"/orders/{order.pk}/accept/", {}, follow=True, **HTMX)
    assert 'id="order"' in text(response) and "You accepted order" in text(response)


def test_cancelling_an_accepted_order_needs_a_reason(order, buyer_owner, seller_owner):
    act(seller_owner, order, "accept")
    page = text(browser_for(buyer_owner).get(f"/orders/{order.pk}/"))
    assert 'name="reason" rows="2" maxlength="2000" required' in page
    response = browser_for(buyer_owner).post(f"/orders/{order.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302
    assert messages_of(response) == ["Say why you cancel an order already accepted."]
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    response = act(buyer_owner, order, "cancel", reason="Se canceló el evento.")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    html = text(response)
    assert "Credit note issued" in html and f"/orders/{order.pk}/credit-note/" in html


def test_a_transition_the_status_does_not_allow_is_a_message(order, seller_owner):
    response = browser_for(seller_owner).post(f"/orders/{order.pk}/fulfil/")
    assert response.status_code == 302
    assert messages_of(response) == ["Cannot mark as fulfilled an order whose status is “Placed”."]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "No se puede marcar como entregado un pedido cuyo estado es «Realizado»."),
        ("pt-br", "Não é possível marcar como entregue um pedido cujo status é “Feito”."),
    ],
)
def test_the_refusal_names_the_status_in_the_readers_language(
    order, seller_owner, language, expected
):
    browser = browser_for(seller_owner)
    browser.cookies["django_language"] = language
    response = browser.post(f"/orders/{order.pk}/fulfil/")
    assert messages_of(response) == [expected]
    assert "placed" not in messages_of(response)[0]


def test_members_who_do_not_manage_see_the_order_but_no_actions(order, buyer_member, seller_member):
    for user in (buyer_member, seller_member):
        browser = browser_for(user)
        html = text(browser.get(f"/orders/{order.pk}/"))
        assert "Remeras" in html and "What you can do" not in html
    response = browser_for(seller_member).post(f"/orders/{order.pk}/accept/")
    assert "Only the seller's owners and admins can accept" in messages_of(response)[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_unknown_actions_are_404(order, seller_owner):
    assert browser_for(seller_owner).post(f"/orders/{order.pk}/explode/").status_code == 404


def test_mark_paid_after_the_invoice(order, seller_owner, buyer_owner):
    browser = browser_for(seller_owner)
    assert "Mark the invoice paid" not in text(browser.get(f"/orders/{order.pk}/"))
    act(seller_owner, order, "accept")
    assert "Mark the invoice paid" in text(browser.get(f"/orders/{order.pk}/"))
    assert "Mark the invoice paid" not in text(browser_for(buyer_owner).get(f"/orders/{order.pk}/"))
    response = browser.post(
        f"/orders/{order.pk}/mark-paid/", {"note": "Transferencia 8812"}, follow=True
    )
    html = text(response)
    assert f"Order #{order.pk} is marked paid; the buyer is told." in html
    assert "Marked paid" in html and "Transferencia 8812" in html
    assert "Mark the invoice paid" not in html
    again = browser.post(f"/orders/{order.pk}/mark-paid/")
    assert messages_of(again) == ["This order is already marked paid."]


def test_the_page_offers_mark_paid_exactly_when_the_service_accepts_it(order, seller_owner):
    """One rule (orders.services.order_mark_paid_refusal): an accepted order whose invoice went
    missing is still marked paid by the service, so the page offers the button too."""
    act(seller_owner, order, "accept")
    order.invoices.all().delete()
    browser = browser_for(seller_owner)
    assert "Mark the invoice paid" in text(browser.get(f"/orders/{order.pk}/"))
    response = browser.post(f"/orders/{order.pk}/mark-paid/", follow=True)
    assert f"Order #{order.pk} is marked paid; the buyer is told." in text(response)


def test_the_invoice_page_and_pdf(order, seller_owner, buyer_owner, moderator, outsider):
    act(seller_owner, order, "accept")
    invoice = order.invoices.get()
    for user in (buyer_owner, seller_owner, moderator):
        response = browser_for(user).get(f"/orders/{order.pk}/invoice/")
        html = text(response)
        assert f"Invoice {invoice.number}" in html
        assert "Cooperativa Textil La Huella" in html and "Coop Consumo Montevideo" in html
        assert "Solidarity fee (1.5 %), included, owed by the seller to Minga" in html
        assert "ARS\xa03,000.00" in html and "ARS\xa045.00" in html and "ARS\xa02,955.00" in html
        assert f'href="/orders/{order.pk}/invoice.pdf"' in html
        assert '<script src="/static/frontend/print.js" defer></script>' in html
    pdf = browser_for(buyer_owner).get(f"/orders/{order.pk}/invoice.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert invoice.number in pdf["Content-Disposition"]
    stranger = browser_for(outsider)
    assert stranger.get(f"/orders/{order.pk}/invoice/").status_code == 404
    assert stranger.get(f"/orders/{order.pk}/invoice.pdf").status_code == 404


def test_no_invoice_before_acceptance_and_a_credit_note_after_cancel(
    order, seller_owner, buyer_owner
):
    browser = browser_for(buyer_owner)
    assert browser.get(f"/orders/{order.pk}/invoice/").status_code == 404
    act(seller_owner, order, "accept")
    act(seller_owner, order, "cancel", reason="Sin stock al final.")
    credit = order.invoices.get(kind="credit_note")
    html = text(browser.get(f"/orders/{order.pk}/credit-note/"))
    assert f"Credit note {credit.number}" in html
    assert "Cancels invoice" in html and "-ARS\xa03,000.00" in html
    assert browser.get(f"/orders/{order.pk}/credit-note.pdf").status_code == 200


# Messages ------------------------------------------------------------------------------------


def test_both_sides_talk_in_the_thread_and_the_other_side_is_told(
    order, buyer_member, seller_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_for(buyer_member).post(
            f"/orders/{order.pk}/messages/", {"body": "¿Llegan el lunes?"}
        )
    assert response["Location"] == f"/orders/{order.pk}/#thread"
    assert [m.to for m in mail.outbox] == [[seller_owner.email]]
    browser_for(seller_owner).post(f"/orders/{order.pk}/messages/", {"body": "Sí, a las 9."})
    html = text(browser_for(buyer_member).get(f"/orders/{order.pk}/"))
    assert html.index("¿Llegan el lunes?") < html.index("Sí, a las 9.")
    assert Message.objects.count() == 2


def test_an_empty_message_is_a_form_error_in_place(order, buyer_member):
    response = browser_for(buyer_member).post(
        f"/orders/{order.pk}/messages/", {"body": "  "}, **HTMX
    )
    assert response.status_code == 200
    html = text(response)
    assert 'id="thread"' in html and "This field is required." in html
    assert not Message.objects.exists()


def test_moderators_see_the_order_but_not_its_thread(order, buyer_member, moderator):
    browser_for(buyer_member).post(f"/orders/{order.pk}/messages/", {"body": "Privado"})
    browser = browser_for(moderator)
    html = text(browser.get(f"/orders/{order.pk}/"))
    assert "Remeras" in html and "Privado" not in html and 'id="thread"' not in html
    assert browser.post(f"/orders/{order.pk}/messages/", {"body": "Hola"}).status_code == 404


def test_outsiders_get_404_on_every_order_page(order, outsider, client):
    stranger = browser_for(outsider)
    for url in (
        f"/orders/{order.pk}/",
        f"/orders/{order.pk}/invoice/",
        f"/orders/{order.pk}/credit-note/",
    ):
        assert stranger.get(url).status_code == 404, url
    for url in ("accept", "cancel", "mark-paid", "messages"):
        assert stranger.post(f"/orders/{order.pk}/{url}/", {"body": "x"}).status_code == 404
    assert stranger.get(f"/orders/?cooperative={order.buyer.slug}").status_code == 404
    assert client.get(f"/orders/{order.pk}/").status_code == 302  # to the sign-in page
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and not Message.objects.exists()


# The list ------------------------------------------------------------------------------------


def test_my_orders_as_buyer_and_as_seller_with_filters(
    buyer_coop, buyer_owner, seller_coop, seller_owner, listing
):
    purchase = place_order(buyer_owner, buyer_coop, listing)
    # The seller cooperative also buys, from a third one.
    third = ListingFactory(cooperative=CooperativeFactory(name="Tercera"), stock=None)
    MembershipFactory(user=buyer_owner, cooperative=seller_coop, role="admin")
    forget_roles(buyer_owner)  # as a new request would: the checkout remembered the roles it read
    sale_side = place_order(buyer_owner, seller_coop, third)
    browser = browser_for(seller_owner)
    html = text(browser.get(f"/orders/?cooperative={seller_coop.slug}"))
    assert "2 orders of Cooperativa Textil La Huella" in html
    assert f'href="/orders/{purchase.pk}/"' in html and f'href="/orders/{sale_side.pk}/"' in html
    html = text(browser.get(f"/orders/?cooperative={seller_coop.slug}&role=seller"))
    assert "1 order of" in html and f"/orders/{purchase.pk}/" in html
    assert f"/orders/{sale_side.pk}/" not in html and "Coop Consumo Montevideo" in html
    html = text(browser.get(f"/orders/?cooperative={seller_coop.slug}&role=buyer"))
    assert f"/orders/{sale_side.pk}/" in html and "Tercera" in html
    html = text(browser.get(f"/orders/?cooperative={seller_coop.slug}&status=completed"))
    assert "No order matches these filters." in html


def test_the_order_list_filters_in_place_with_htmx(order, buyer_owner):
    html = text(browser_for(buyer_owner).get("/orders/"))
    form = next(a for tag, a in elements(html).tags if tag == "form" and "hx-get" in a)
    assert (form["hx-target"], form["hx-select"], form["hx-push-url"]) == (
        "#results",
        "#results",
        "true",
    )


def test_moderators_may_open_any_cooperatives_orders(order, moderator):
    html = text(browser_for(moderator).get(f"/orders/?cooperative={order.seller.slug}"))
    assert f"/orders/{order.pk}/" in html


def test_someone_without_a_cooperative_is_told_what_to_do(outsider):
    html = text(browser_for(outsider).get("/orders/"))
    assert "Orders are placed and received by cooperatives." in html


def test_order_list_queries_do_not_grow_with_the_orders(buyer_coop, buyer_owner, listing):
    place_order(buyer_owner, buyer_coop, listing, quantity=1)
    browser = browser_for(buyer_owner)
    url = f"/orders/?cooperative={buyer_coop.slug}"
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for _ in range(8):
        place_order(buyer_owner, buyer_coop, ListingFactory(stock=None), quantity=1)
    with CaptureQueriesContext(connection) as many:
        html = text(browser.get(url))
    assert "9 orders of" in html
    assert len(many) == len(few) <= 10


def test_order_detail_queries_are_few(order, seller_owner, buyer_member):
    act(seller_owner, order, "accept")
    browser_for(buyer_member).post(f"/orders/{order.pk}/messages/", {"body": "Hola"})
    browser = browser_for(seller_owner)
    browser.get(f"/orders/{order.pk}/")
    with CaptureQueriesContext(connection) as queries:
        browser.get(f"/orders/{order.pk}/")
    assert len(queries) <= 12  # one of them reads the seller's payout details ("How to pay")
    assert Order.objects.get().status == OrderStatus.ACCEPTED


def test_a_moderator_clears_the_flag_of_a_settled_order(order, moderator, buyer_owner):
    order_services.order_flag(order=order, reason="Disputa de pago.")
    html = text(browser_for(buyer_owner).get(f"/orders/{order.pk}/"))
    assert "A moderator settles this order: Disputa de pago." in html
    assert "Clear the flag" not in html
    assert browser_for(buyer_owner).post(f"/orders/{order.pk}/unflag/").status_code == 302
    order.refresh_from_db()
    assert order.is_flagged
    response = browser_for(moderator).post(
        f"/orders/{order.pk}/unflag/", {"note": "Pagado por transferencia."}, follow=True
    )
    assert f"The flag on order #{order.pk} is cleared." in text(response)
    assert "Flag cleared" in text(response) and "Pagado por transferencia." in text(response)
    order.refresh_from_db()
    assert not order.is_flagged
