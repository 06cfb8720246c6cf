"""The Django admin: the log is read-only; decisions are actions that call the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from cooperatives.models import Role
from marketplace.models import Listing
from moderation import services
from moderation.models import Appeal, ModerationAction, Report
from tests.factories import MembershipFactory, UserFactory
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

LOG = "/admin/moderation/moderationaction/"
LISTINGS = "/admin/moderation/listingmoderation/"


def admin_client(user):
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_moderator(db):
    return make_moderator(name="Staff Moderator", is_staff=True)


@pytest.fixture
def logged(pending_listing, moderator):
    return services.listing_reject(listing=pending_listing, actor=moderator, reason="Stock photos.")


def test_the_log_is_shown_but_cannot_be_added_to_changed_or_deleted(staff_moderator, logged):
    client = admin_client(staff_moderator)
    listing_page = client.get(LOG)
    assert listing_page.status_code == 200
    assert b"Listing rejected" in listing_page.content
    assert b"delete_selected" not in listing_page.content
    assert client.get(f"{LOG}add/").status_code == 403
    change_page = client.get(f"{LOG}{logged.pk}/change/")
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert client.post(f"{LOG}{logged.pk}/change/", {"reason": "rewritten"}).status_code == 403
    assert client.get(f"{LOG}{logged.pk}/delete/").status_code == 403
    assert client.post(f"{LOG}{logged.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ModerationAction.objects.get(pk=logged.pk).reason == "Stock photos."


def test_even_a_superuser_cannot_change_the_log(logged):
    root = UserFactory(is_superuser=True)
    client = admin_client(root)
    assert client.post(f"{LOG}{logged.pk}/change/", {"reason": "rewritten"}).status_code == 403
    assert client.post(f"{LOG}{logged.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(LOG, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [logged.pk]})
    assert ModerationAction.objects.filter(pk=logged.pk).exists()
    assert response.status_code in (200, 302)


def test_staff_who_are_not_moderators_do_not_see_moderation(logged):
    client = admin_client(UserFactory())
    assert client.get(LOG).status_code == 403
    assert client.get(LISTINGS).status_code == 403


def test_approve_action_calls_the_service(staff_moderator, pending_listing):
    client = admin_client(staff_moderator)
    response = client.post(
        LISTINGS, {"action": "approve", ACTION_CHECKBOX_NAME: [pending_listing.pk]}, follow=True
    )
    assert response.status_code == 200
    pending_listing.refresh_from_db()
    assert pending_listing.status == "published"
    assert ModerationAction.objects.get().actor == staff_moderator


def test_reject_action_asks_for_a_reason_first(staff_moderator, pending_listing):
    client = admin_client(staff_moderator)
    selection = {"action": "reject", ACTION_CHECKBOX_NAME: [pending_listing.pk]}
    form = client.post(LISTINGS, selection)
    assert form.status_code == 200
    assert b'name="reason"' in form.content
    assert Listing.objects.get(pk=pending_listing.pk).status == "pending_review"
    client.post(LISTINGS, {**selection, "apply": "1", "reason": "Misleading title."})
    pending_listing.refresh_from_db()
    assert (pending_listing.status, pending_listing.status_reason) == (
        "rejected",
        "Misleading title.",
    )


def test_admin_actions_obey_the_conflict_of_interest(staff_moderator, seller_coop, pending_listing):
    MembershipFactory(user=staff_moderator, cooperative=seller_coop, role=Role.MEMBER)
    client = admin_client(staff_moderator)
    response = client.post(
        LISTINGS, {"action": "approve", ACTION_CHECKBOX_NAME: [pending_listing.pk]}, follow=True
    )
    assert b"another moderator decides" in response.content
    pending_listing.refresh_from_db()
    assert pending_listing.status == "pending_review"
    assert not ModerationAction.objects.exists()


def test_cooperative_suspension_from_the_admin(staff_moderator, seller_coop):
    client = admin_client(staff_moderator)
    client.post(
        "/admin/moderation/cooperativemoderation/",
        {
            "action": "suspend",
            ACTION_CHECKBOX_NAME: [seller_coop.pk],
            "apply": "1",
            "reason": "Fraud.",
        },
    )
    seller_coop.refresh_from_db()
    assert seller_coop.is_suspended


def test_dismissing_reports_from_the_admin(staff_moderator, published_listing):
    first, second = (
        services.report_create(actor=UserFactory(), listing=published_listing, reason="fraud")
        for _ in range(2)
    )
    client = admin_client(staff_moderator)
    client.post(
        "/admin/moderation/report/",
        {"action": "dismiss", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert ModerationAction.objects.filter(action="report_dismiss").count() == 2


def test_overturning_an_appeal_from_the_admin(staff_moderator, moderator, seller_owner, logged):
    appeal = services.appeal_file(decision=logged, actor=seller_owner, statement="Ours.")
    client = admin_client(staff_moderator)
    client.post(
        "/admin/moderation/appeal/",
        {"action": "overturn", ACTION_CHECKBOX_NAME: [appeal.pk], "apply": "1", "reason": "Fine."},
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.resolved_by, appeal.resolution_note) == (
        "overturned",
        staff_moderator,
        "Fine.",
    )
    assert Listing.objects.get(pk=logged.listing_id).status == "published"


def test_the_decider_cannot_resolve_the_appeal_from_the_admin(moderator, seller_owner, logged):
    appeal = services.appeal_file(decision=logged, actor=seller_owner, statement="Ours.")
    client = admin_client(moderator)
    response = client.post(
        "/admin/moderation/appeal/",
        {"action": "uphold", ACTION_CHECKBOX_NAME: [appeal.pk], "apply": "1", "reason": "No."},
        follow=True,
    )
    assert b"another moderator resolves" in response.content
    assert Appeal.objects.get().status == "open"
