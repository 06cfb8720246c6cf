"""The rules of cooperatives/permissions.py as a table: persona × predicate → allowed or not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cooperatives import permissions as rules
from cooperatives.models import Cooperative, Membership, Role
from cooperatives.state import VerificationStatus
from tests.cooperatives.helpers import PERSONAS
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(seller_coop, seller_owner, seller_admin, seller_member, outsider, moderator):  # type: ignore[no-untyped-def]
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "member": seller_member,
        "admin": seller_admin,
        "owner": seller_owner,
        "moderator": moderator,
    }


def row(anonymous, outsider, member, admin, owner, moderator) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return dict(zip(PERSONAS, (anonymous, outsider, member, admin, owner, moderator), strict=True))


T, F = True, False

COOPERATIVE_RULES = {
    "can_view_cooperative": row(T, T, T, T, T, T),
    "can_manage_cooperative": row(F, F, F, T, T, F),
    "can_view_private_data": row(F, F, T, T, T, T),
    "can_request_verification": row(F, F, F, T, T, F),
    "is_member": row(F, F, T, T, T, F),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("rule", COOPERATIVE_RULES)
def test_rules_about_a_cooperative(people, seller_coop, rule, persona):  # type: ignore[no-untyped-def]
    predicate = getattr(rules, rule)
    assert predicate(people[persona], seller_coop) is COOPERATIVE_RULES[rule][persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_suspended_cooperative_is_seen_by_its_members_and_moderators(
    people, seller_coop, persona
):  # type: ignore[no-untyped-def]
    Cooperative.objects.filter(pk=seller_coop.pk).update(
        verification_status=VerificationStatus.SUSPENDED
    )
    seller_coop.refresh_from_db()
    expected = row(F, F, T, T, T, T)[persona]
    assert rules.can_view_cooperative(people[persona], seller_coop) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_is_moderator(people, persona):  # type: ignore[no-untyped-def]
    assert rules.is_moderator(people[persona]) is (persona == "moderator")


def test_superusers_are_moderators_and_inactive_moderators_are_not(moderator):  # type: ignore[no-untyped-def]
    assert rules.is_moderator(UserFactory(is_superuser=True)) is True
    moderator.is_active = False
    assert rules.is_moderator(moderator) is False


# Who may invite someone to a role, and remove someone who holds it: owners any role, admins
# admins and members.
MANAGE_ROLE = {
    Role.MEMBER: row(F, F, F, T, T, F),
    Role.ADMIN: row(F, F, F, T, T, F),
    Role.OWNER: row(F, F, F, F, T, F),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("role", list(MANAGE_ROLE))
def test_who_invites_and_removes_which_role(people, seller_coop, role, persona):  # type: ignore[no-untyped-def]
    target = MembershipFactory(cooperative=seller_coop, role=role)
    expected = MANAGE_ROLE[role][persona]
    assert rules.can_invite_member(people[persona], seller_coop, role) is expected
    assert rules.can_remove_member(people[persona], target) is expected


# (role of the member being changed, new role) → who may do it
CHANGE_ROLE = {
    (Role.MEMBER, Role.ADMIN): row(F, F, F, T, T, F),
    (Role.ADMIN, Role.MEMBER): row(F, F, F, T, T, F),
    (Role.MEMBER, Role.OWNER): row(F, F, F, F, T, F),
    (Role.OWNER, Role.ADMIN): row(F, F, F, F, T, F),
    (Role.OWNER, Role.MEMBER): row(F, F, F, F, T, F),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("current", "new"), list(CHANGE_ROLE))
def test_who_changes_which_role(people, seller_coop, current, new, persona):  # type: ignore[no-untyped-def]
    target = MembershipFactory(cooperative=seller_coop, role=current)
    expected = CHANGE_ROLE[(current, new)][persona]
    assert rules.can_change_role(people[persona], target, new) is expected


@pytest.mark.parametrize("persona", ["member", "admin", "owner"])
def test_everyone_may_leave(people, seller_coop, persona):  # type: ignore[no-untyped-def]
    own = Membership.objects.get(user=people[persona], cooperative=seller_coop)
    assert rules.can_remove_member(people[persona], own) is True


def test_roles_in_another_cooperative_give_nothing(buyer_owner, seller_coop):  # type: ignore[no-untyped-def]
    assert rules.role_in(buyer_owner, seller_coop) is None
    assert rules.can_manage_cooperative(buyer_owner, seller_coop) is False


def test_forget_roles_reads_a_changed_role(seller_admin, seller_coop):  # type: ignore[no-untyped-def]
    assert rules.role_in(seller_admin, seller_coop) == Role.ADMIN
    Membership.objects.filter(user=seller_admin).update(role=Role.MEMBER)
    assert rules.role_in(seller_admin, seller_coop) == Role.ADMIN  # cached for this request
    rules.forget_roles(seller_admin)
    assert rules.role_in(seller_admin, seller_coop) == Role.MEMBER
