import pytest
from django.core import mail

from orders.models import Message
from tests.conftest import client_for
from tests.orders.conftest import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer_coop, buyer_owner, listing):
    return place_order(buyer_owner, buyer_coop, listing, quantity=1)


def url(order):
    return f"/api/v1/orders/{order['id']}/messages/"


def test_both_sides_write_and_read_the_thread(
    order, buyer_member, seller_member, seller_owner, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(buyer_member).post(
            url(order), {"body": "¿Llega el lunes?"}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["author_side"] == "buyer"
    # The seller's members are told; the author is not.
    recipients = {address for m in mail.outbox for address in m.to}
    assert recipients == {seller_member.email, seller_owner.email}
    assert "¿Llega el lunes?" in mail.outbox[0].body

    client_for(seller_member).post(url(order), {"body": "Sí, a las 9."}, format="json")
    thread = client_for(buyer_member).get(url(order)).json()["results"]
    assert [(m["author_side"], m["body"]) for m in thread] == [
        ("buyer", "¿Llega el lunes?"),
        ("seller", "Sí, a las 9."),
    ]


@pytest.mark.parametrize("persona", ["outsider", "moderator"])
def test_nobody_else_reads_or_writes_it(order, buyer_member, request, persona):
    client_for(buyer_member).post(url(order), {"body": "private"}, format="json")
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(order)).status_code == 404
    assert client.post(url(order), {"body": "hello"}, format="json").status_code == 404
    assert Message.objects.count() == 1


def test_an_empty_message_is_refused(order, buyer_member):
    response = client_for(buyer_member).post(url(order), {"body": "   "}, format="json")
    assert response.status_code == 400
    assert not Message.objects.exists()
