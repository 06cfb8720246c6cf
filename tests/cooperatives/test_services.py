"""Business rules of cooperatives/services.py: invitations, roles, owners, verification."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from cooperatives import services
from cooperatives.models import Cooperative, Invitation, Membership, Role
from cooperatives.state import VerificationStatus
from core.errors import DomainError, NotFound, NotPermitted, TransitionNotAllowed
from core.timezones import zone_named
from tests.cooperatives.helpers import pdf_upload
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def membership(user: User, coop: Cooperative) -> Membership:
    return Membership.objects.select_related("cooperative").get(user=user, cooperative=coop)


# --- creating and editing ------------------------------------------------------------------------


def test_the_creator_becomes_the_owner(outsider):  # type: ignore[no-untyped-def]
    coop = services.cooperative_create(
        actor=outsider,
        name="Cooperativa Obrera Ñandú",
        legal_form="worker",
        sector="food",
        country="py",
    )
    assert coop.slug == "cooperativa-obrera-nandu"
    assert coop.country == "PY"
    assert membership(outsider, coop).role == Role.OWNER
    assert coop.verification_status == VerificationStatus.UNVERIFIED


def test_profile_edits_cannot_touch_verification_or_payouts(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    services.cooperative_update(
        cooperative=seller_coop,
        actor=seller_owner,
        city="Rosario",
        verification_status=VerificationStatus.VERIFIED,
        stripe_account_id="acct_123",
        is_payouts_enabled=True,
    )
    seller_coop.refresh_from_db()
    assert seller_coop.city == "Rosario"
    assert seller_coop.verification_status == VerificationStatus.UNVERIFIED
    assert seller_coop.stripe_account_id == ""
    assert seller_coop.is_payouts_enabled is False


def test_members_cannot_edit_the_profile(seller_member, seller_coop):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.cooperative_update(cooperative=seller_coop, actor=seller_member, city="Rosario")


# --- invitations ---------------------------------------------------------------------------------


@override_settings(SITE_URL="https://minga.example")
def test_the_invitation_email_is_sent_after_commit_with_the_link(  # type: ignore[no-untyped-def]
    seller_owner, seller_coop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            cooperative=seller_coop, email="Nueva@Example.COOP", role=Role.ADMIN, actor=seller_owner
        )
    assert mail.outbox == []  # nothing leaves before the invitation is committed
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nueva@example.coop"]
    assert seller_coop.name in message.subject
    assert f"https://minga.example/invitations/{invitation.token}/" in message.body
    # Dated in the cooperative's zone (the invitee has no account yet), whatever the hour in UTC.
    with timezone.override(zone_named(seller_coop.zone_name)):
        expires_on = timezone.localdate(invitation.expires_at)
    assert date_format(expires_on, "DATE_FORMAT") in message.body


def test_no_email_when_the_invitation_is_rolled_back(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invitation_create(
            cooperative=seller_coop,
            email="nueva@example.coop",
            role=Role.MEMBER,
            actor=seller_owner,
        )
        raise RuntimeError("a later step failed")
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_the_open_one(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    first = services.invitation_create(
        cooperative=seller_coop, email="nueva@example.coop", role=Role.MEMBER, actor=seller_owner
    )
    second = services.invitation_create(
        cooperative=seller_coop, email="NUEVA@example.coop", role=Role.ADMIN, actor=seller_owner
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_open and second.role == Role.ADMIN
    assert first.token != second.token
    invitee = UserFactory(email="nueva@example.coop")
    with pytest.raises(DomainError) as refused:
        services.invitation_accept(token=first.token, actor=invitee)
    assert refused.value.code == "invitation_revoked"
    assert services.invitation_accept(token=second.token, actor=invitee).role == Role.ADMIN


def test_an_expired_invitation_can_be_renewed(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    old = Invitation.objects.create(
        cooperative=seller_coop,
        email="nueva@example.coop",
        expires_at=timezone.now() - timedelta(days=1),
    )
    new = services.invitation_create(
        cooperative=seller_coop, email="nueva@example.coop", role=Role.MEMBER, actor=seller_owner
    )
    old.refresh_from_db()
    assert old.revoked_at is not None and new.is_open


def test_accepting_needs_the_invited_email(seller_owner, seller_coop, outsider):  # type: ignore[no-untyped-def]
    invitation = services.invitation_create(
        cooperative=seller_coop, email="nueva@example.coop", role=Role.MEMBER, actor=seller_owner
    )
    with pytest.raises(NotPermitted):
        services.invitation_accept(token=invitation.token, actor=outsider)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    invitee = UserFactory(email="nueva@example.coop")
    joined = services.invitation_accept(token=invitation.token, actor=invitee)
    assert joined.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee


def test_unknown_token(outsider):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.invitation_accept(token="nope", actor=outsider)


def test_admins_invite_admins_but_not_owners(seller_admin, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    services.invitation_create(
        cooperative=seller_coop, email="a@example.coop", role=Role.ADMIN, actor=seller_admin
    )
    with pytest.raises(NotPermitted):
        services.invitation_create(
            cooperative=seller_coop, email="o@example.coop", role=Role.OWNER, actor=seller_admin
        )
    services.invitation_create(
        cooperative=seller_coop, email="o@example.coop", role=Role.OWNER, actor=seller_owner
    )


def test_only_managers_revoke(seller_member, seller_admin, seller_coop):  # type: ignore[no-untyped-def]
    invitation = Invitation.objects.create(cooperative=seller_coop, email="n@example.coop")
    with pytest.raises(NotPermitted):
        services.invitation_revoke(invitation=invitation, actor=seller_member)
    services.invitation_revoke(invitation=invitation, actor=seller_admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_invalid_role_is_refused_before_anything_is_written(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            cooperative=seller_coop, email="n@example.coop", role="boss", actor=seller_owner
        )
    assert "role" in refused.value.message_dict
    assert not Invitation.objects.exists()


# --- roles and owners ----------------------------------------------------------------------------


def test_admins_cannot_touch_owners(seller_admin, seller_owner, seller_member, seller_coop):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.membership_change_role(
            membership=membership(seller_owner, seller_coop), role=Role.MEMBER, actor=seller_admin
        )
    with pytest.raises(NotPermitted):
        services.membership_remove(
            membership=membership(seller_owner, seller_coop), actor=seller_admin
        )
    with pytest.raises(NotPermitted):  # nor make one, themselves included
        services.membership_change_role(
            membership=membership(seller_admin, seller_coop), role=Role.OWNER, actor=seller_admin
        )
    assert membership(seller_owner, seller_coop).role == Role.OWNER
    promoted = services.membership_change_role(
        membership=membership(seller_member, seller_coop), role=Role.ADMIN, actor=seller_admin
    )
    assert promoted.role == Role.ADMIN


def test_only_owners_make_owners(seller_owner, seller_member, seller_coop):  # type: ignore[no-untyped-def]
    services.membership_change_role(
        membership=membership(seller_member, seller_coop), role=Role.OWNER, actor=seller_owner
    )
    assert membership(seller_member, seller_coop).role == Role.OWNER


def test_a_cooperative_always_keeps_an_owner(seller_owner, seller_member, seller_coop):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        services.membership_change_role(
            membership=membership(seller_owner, seller_coop), role=Role.ADMIN, actor=seller_owner
        )
    assert refused.value.code == "last_owner"
    with pytest.raises(DomainError):
        services.membership_remove(
            membership=membership(seller_owner, seller_coop), actor=seller_owner
        )
    # With a second owner, the first may step down and then leave.
    services.membership_change_role(
        membership=membership(seller_member, seller_coop), role=Role.OWNER, actor=seller_owner
    )
    services.membership_change_role(
        membership=membership(seller_owner, seller_coop), role=Role.ADMIN, actor=seller_owner
    )
    services.membership_remove(membership=membership(seller_owner, seller_coop), actor=seller_owner)
    owners = Membership.objects.filter(cooperative=seller_coop, role=Role.OWNER)
    assert [m.user for m in owners] == [seller_member]


def test_a_stepped_down_owner_loses_owner_powers_at_once(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    """The role cache of the acting user follows the change made in the same request."""
    second = MembershipFactory(cooperative=seller_coop, role=Role.OWNER)
    services.membership_change_role(
        membership=membership(seller_owner, seller_coop), role=Role.ADMIN, actor=seller_owner
    )
    with pytest.raises(NotPermitted):
        services.membership_change_role(membership=second, role=Role.MEMBER, actor=seller_owner)


def test_a_member_removed_meanwhile_is_not_found(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    gone = MembershipFactory(cooperative=seller_coop)
    Membership.objects.filter(pk=gone.pk).delete()
    with pytest.raises(NotFound):
        services.membership_change_role(membership=gone, role=Role.ADMIN, actor=seller_owner)


# --- verification --------------------------------------------------------------------------------


def test_verification_request_makes_the_cooperative_pending(seller_admin, seller_coop):  # type: ignore[no-untyped-def]
    request = services.verification_request_submit(
        cooperative=seller_coop, actor=seller_admin, documents=[pdf_upload()], note="Estatuto"
    )
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == VerificationStatus.PENDING
    assert request.documents.get().content_type == "application/pdf"
    with pytest.raises(TransitionNotAllowed):
        services.verification_request_submit(
            cooperative=seller_coop, actor=seller_admin, documents=[pdf_upload()]
        )
    assert seller_coop.verification_requests.count() == 1


# --- concurrency (PostgreSQL: real row locks) ----------------------------------------------------


def _run_together(*jobs) -> list[str]:  # type: ignore[no-untyped-def]
    """Run each job in its own thread and database connection, started together."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            job()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(monkeypatch):  # type: ignore[no-untyped-def]
    coop = CooperativeFactory(name="Cooperativa Gemela")
    ana = MembershipFactory(cooperative=coop, role=Role.OWNER)
    bea = MembershipFactory(cooperative=coop, role=Role.OWNER)

    # Widen the window between "another owner exists" and the write: without the row lock both
    # requests would see the other still an owner, and both would succeed.
    check = Membership.is_last_owner.fget

    def slow_check(membership: Membership) -> bool:
        found = check(membership)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(Membership, "is_last_owner", property(slow_check))

    def demote(actor_membership: Membership, target: Membership):  # type: ignore[no-untyped-def]
        def job() -> None:
            actor = User.objects.get(pk=actor_membership.user_id)
            membership = Membership.objects.select_related("cooperative").get(pk=target.pk)
            services.membership_change_role(membership=membership, role=Role.ADMIN, actor=actor)

        return job

    outcomes = _run_together(demote(ana, bea), demote(bea, ana))

    assert len(outcomes) == 2
    assert outcomes.count("ok") == 1, outcomes
    assert Membership.objects.filter(cooperative=coop, role=Role.OWNER).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_invitations_to_one_address_at_once_leave_one_open(monkeypatch):  # type: ignore[no-untyped-def]
    coop = CooperativeFactory(name="Cooperativa Paralela")
    owner = MembershipFactory(cooperative=coop, role=Role.OWNER)
    normalize = services.normalize_email

    def slow_normalize(email: str) -> str:  # runs once the cooperative is locked
        time.sleep(0.3)
        return normalize(email)

    monkeypatch.setattr(services, "normalize_email", slow_normalize)

    def invite():  # type: ignore[no-untyped-def]
        actor = User.objects.get(pk=owner.user_id)
        services.invitation_create(
            cooperative=Cooperative.objects.get(pk=coop.pk),
            email="nueva@example.coop",
            role=Role.MEMBER,
            actor=actor,
        )

    assert _run_together(invite, invite) == ["ok", "ok"]
    open_ones = Invitation.objects.filter(cooperative=coop, accepted_at=None, revoked_at=None)
    assert open_ones.count() == 1
