"""`GET, PATCH /api/v1/cooperatives/{coop}/payout-details/`: members read, owners and admins
write, every refused field named (400) in the reader's language; nothing half-written."""

import pytest

from cooperatives.models import PayoutDetails
from tests.conftest import client_for
from tests.cooperatives.helpers import CBU

pytestmark = pytest.mark.django_db


def url(cooperative) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/cooperatives/{cooperative.slug}/payout-details/"


def test_an_owner_enters_a_cbu_and_an_alias_and_members_read_them(
    seller_coop, seller_owner, seller_member
):  # type: ignore[no-untyped-def]
    empty = client_for(seller_member).get(url(seller_coop)).json()
    assert empty["is_set"] is False and empty["scheme"] == "ar" and empty["country"] == "AR"
    response = client_for(seller_owner).patch(
        url(seller_coop),
        {
            "account_holder": "Cooperativa Textil La Huella",
            "holder_tax_id": "30-71234567-8",
            "cbu": "285-0590-9400-9041-8135-201",
            "alias": "huella.textil",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = client_for(seller_member).get(url(seller_coop)).json()
    assert body["is_set"] is True
    assert body["cbu"] == CBU and body["alias"] == "HUELLA.TEXTIL"
    assert {"label": "CBU", "value": CBU} in body["display"]


def test_a_patch_changes_only_what_it_sends(seller_coop, seller_admin):  # type: ignore[no-untyped-def]
    client = client_for(seller_admin)
    client.patch(url(seller_coop), {"account_holder": "La Huella", "cbu": CBU}, format="json")
    response = client.patch(url(seller_coop), {"alias": "huella.textil"}, format="json")
    assert response.status_code == 200
    assert response.json()["cbu"] == CBU and response.json()["account_holder"] == "La Huella"


def test_a_wrong_check_digit_is_a_400_on_its_field_in_the_readers_language(
    seller_coop, seller_owner
):  # type: ignore[no-untyped-def]
    response = client_for(seller_owner).patch(
        url(seller_coop),
        {"account_holder": "La Huella", "cbu": CBU[:21] + "4", "alias": "no"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"cbu", "alias"}
    assert "dígito verificador" in errors["cbu"][0]
    assert not PayoutDetails.objects.exists()


def test_a_brazilian_pix_key_by_type(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    seller_coop.country = "BR"
    seller_coop.save()
    client = client_for(seller_owner)
    bad = client.patch(
        url(seller_coop),
        {"account_holder": "Coop", "pix_key_type": "cnpj", "pix_key": "11.222.333/0001-80"},
        format="json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"pix_key"}
    good = client.patch(
        url(seller_coop),
        {"account_holder": "Coop", "pix_key_type": "cnpj", "pix_key": "11.222.333/0001-81"},
        format="json",
    )
    assert good.status_code == 200 and good.json()["pix_key"] == "11222333000181"


def test_who_may_read_and_write(seller_coop, seller_member, buyer_owner, outsider, moderator):  # type: ignore[no-untyped-def]
    body = {"account_holder": "X", "cbu": CBU}
    assert client_for(seller_member).patch(url(seller_coop), body, format="json").status_code == 403
    assert client_for(outsider).get(url(seller_coop)).status_code == 404
    assert client_for(buyer_owner).patch(url(seller_coop), body, format="json").status_code == 404
    assert client_for(moderator).get(url(seller_coop)).status_code == 200
    assert not PayoutDetails.objects.exists()
