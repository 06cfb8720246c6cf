"""Every model registered in the Django admin: its list (with search), add and change pages load for
a superuser; and the admin keeps the rules of the services (a cooperative always keeps an owner)."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse

from accounts.services import user_token
from cooperatives.models import (
    Invitation,
    Membership,
    Role,
    VerificationDocument,
    VerificationRequest,
)
from tests.cooperatives.helpers import PDF_BYTES
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


@pytest.fixture
def staff(client, seller_owner, seller_coop, moderator):  # type: ignore[no-untyped-def]
    """A superuser's browser, and at least one row of every model the foundation registers."""
    superuser = UserFactory(email="root@example.coop", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    user_token(user=seller_owner)
    Group.objects.get_or_create(name="moderators")
    Invitation.objects.create(cooperative=seller_coop, email="invitee@example.coop")
    request = VerificationRequest.objects.create(cooperative=seller_coop, submitted_by=seller_owner)
    document = VerificationDocument(
        request=request, original_name="estatuto.pdf", content_type="application/pdf", size=10
    )
    document.file.save("document", ContentFile(PDF_BYTES), save=True)
    ListingFactory(cooperative=seller_coop, category=CategoryFactory(name="Textiles"))
    return client


def _object_id(model: type[models.Model], obj: models.Model) -> Any:
    return obj.pk


def _value_at(obj: Any, lookup: str) -> Any:
    for part in lookup.lstrip("^=@").split("__"):
        if part in {"iexact", "icontains", "exact", "startswith", "istartswith"}:
            break
        obj = getattr(obj, part, None)
    return obj


def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
def test_admin_pages_load_and_search_finds(staff, model, model_admin):  # type: ignore[no-untyped-def]
    changelist = _url(model, "changelist")
    assert staff.get(changelist).status_code == 200
    if model_admin.has_add_permission(_request_for(staff)):
        assert staff.get(_url(model, "add")).status_code == 200

    obj = model_admin.get_queryset(_request_for(staff)).first()
    if obj is None:  # a model another part of the project registers and this fixture does not fill
        return
    change = _url(model, "change", _object_id(model, obj))
    assert staff.get(change).status_code == 200, change

    for lookup in model_admin.get_search_fields(_request_for(staff)):
        term = _value_at(obj, lookup)
        if isinstance(term, str) and term:
            response = staff.get(changelist, {"q": term})
            assert response.status_code == 200
            assert change in response.content.decode(), f"?q={term} did not find {obj}"
            break
    if model_admin.get_search_fields(_request_for(staff)):
        response = staff.get(changelist, {"q": "nothing-matches-this-zz"})
        assert response.status_code == 200
        assert change not in response.content.decode()


def _request_for(client):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email="root@example.coop")
    return request


def test_the_foundation_models_are_registered():
    labels = {model._meta.label for model in admin.site._registry}
    assert {
        "accounts.User",
        "cooperatives.Cooperative",
        "cooperatives.Membership",
        "cooperatives.Invitation",
        "cooperatives.VerificationRequest",
    } <= labels


def test_admin_cannot_demote_the_last_owner(staff, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    own = Membership.objects.get(user=seller_owner)
    response = staff.post(_url(Membership, "change", own.pk), {"role": Role.ADMIN})
    assert response.status_code == 200  # the form again, with the error
    assert "always keeps an owner" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.OWNER


def test_admin_cannot_delete_the_last_owner(staff, seller_owner, seller_member):  # type: ignore[no-untyped-def]
    own = Membership.objects.get(user=seller_owner)
    assert staff.post(_url(Membership, "delete", own.pk), {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=own.pk).exists()
    member = Membership.objects.get(user=seller_member)
    assert staff.post(_url(Membership, "delete", member.pk), {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_admin_may_demote_an_owner_when_another_remains(staff, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    MembershipFactory(cooperative=seller_coop, role=Role.OWNER)
    own = Membership.objects.get(user=seller_owner)
    response = staff.post(_url(Membership, "change", own.pk), {"role": Role.ADMIN})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_cooperative_inline_cannot_drop_every_owner(staff, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    from cooperatives.models import Cooperative

    own = Membership.objects.get(user=seller_owner)
    form = {
        "name": seller_coop.name,
        "slug": seller_coop.slug,
        "legal_form": seller_coop.legal_form,
        "sector": seller_coop.sector,
        "country": seller_coop.country,
        "city": seller_coop.city,
        "payment_terms_days": str(seller_coop.payment_terms_days),
        "credit_share_bps": str(seller_coop.credit_share_bps),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(own.pk),
        "memberships-0-cooperative": str(seller_coop.pk),
        "memberships-0-user": str(seller_owner.pk),
        "memberships-0-role": Role.MEMBER,
    }
    response = staff.post(_url(Cooperative, "change", seller_coop.pk), form)
    assert response.status_code == 200
    assert "always keeps an owner" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.OWNER
    # The same form with the role kept is saved, and validates the country like the API does.
    form["memberships-0-role"] = Role.OWNER
    form["country"] = "ZZ"
    response = staff.post(_url(Cooperative, "change", seller_coop.pk), form)
    assert response.status_code == 200
    assert "not an ISO 3166-1" in response.content.decode()
    form["country"] = "UY"
    assert staff.post(_url(Cooperative, "change", seller_coop.pk), form).status_code == 302
    seller_coop.refresh_from_db()
    assert seller_coop.country == "UY"


def test_admin_cannot_delete_a_person_who_is_a_cooperatives_only_owner(
    staff, seller_owner, seller_coop
):  # type: ignore[no-untyped-def]
    from accounts.models import User

    response = staff.post(_url(User, "delete", seller_owner.pk), {"post": "yes"}, follow=True)
    assert "is the only owner of Cooperativa Textil La Huella" in response.content.decode()
    assert User.objects.filter(pk=seller_owner.pk).exists()
    assert Membership.objects.filter(user=seller_owner, role=Role.OWNER).exists()


def test_admin_deletes_a_person_like_they_would_themselves(
    staff, seller_owner, seller_member, seller_coop, buyer_coop, buyer_owner
):  # type: ignore[no-untyped-def]
    """The buyer's order stays for both cooperatives' accounts, its author anonymised."""
    from accounts.models import User
    from orders.models import Order
    from tests.frontend.ordering import place_order

    buyer_coop.memberships.create(user=seller_member, role=Role.OWNER)  # a second owner there
    listing = ListingFactory(cooperative=seller_coop, stock=5)
    order = place_order(seller_member, buyer_coop, listing, quantity=1)
    response = staff.post(_url(User, "delete", seller_member.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(email=seller_member.email).exists()
    assert Order.objects.filter(pk=order.pk).exists()
    assert Membership.objects.filter(user=buyer_owner, cooperative=buyer_coop).exists()


def test_the_user_admin_offers_no_bulk_delete(staff):  # type: ignore[no-untyped-def]
    from accounts.models import User

    page = staff.get(_url(User, "changelist")).content.decode()
    assert 'value="delete_selected"' not in page
