"""The API holds the pages' rule: a price changed by a factor of 50 or more is confirmed."""

from tests.conftest import client_for


def test_a_price_fifty_times_off_is_refused_until_confirmed(published, seller_owner):
    api = client_for(seller_owner)
    url = f"/api/v1/listings/{published.pk}/"
    old = published.price_amount
    refused = api.patch(url, {"price_amount": old * 100}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 409
    assert refused.json()["code"] == "price_change_unconfirmed"
    assert "50 veces o más" in refused.json()["detail"]
    published.refresh_from_db()
    assert published.price_amount == old
    assert api.patch(url, {"price_amount": old * 2}, format="json").status_code == 200
    confirmed = api.patch(
        url, {"price_amount": old * 200, "confirm_price_change": True}, format="json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["price_amount"] == old * 200
