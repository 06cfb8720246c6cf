"""Accounts and cooperatives endpoints in situations of their own × every persona (the status each
gets, and that a refused write changes nothing), and that a non-member never reads a cooperative's
private data. Every URL × persona in the ordinary world is in the access table (tests/access)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cooperatives.models import Cooperative, Invitation, Membership, Role, VerificationRequest
from cooperatives.state import VerificationStatus
from tests.cooperatives.helpers import (
    PASSWORD,
    PERSONAS,
    SECRET_ADDRESS,
    SECRET_DOCUMENT,
    SECRET_INVITEE,
    SECRET_TAX_ID,
    World,
    build_world,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def world(seller_coop, seller_owner, seller_admin, seller_member, outsider, moderator) -> World:
    return build_world(seller_coop, seller_owner, seller_admin, seller_member, outsider, moderator)


def statuses(anonymous, outsider, member, admin, owner, moderator) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(zip(PERSONAS, (anonymous, outsider, member, admin, owner, moderator), strict=True))


def _own_credentials(w: World, persona: str) -> dict[str, str]:
    user = w.user(persona)
    if user is None:
        return {"email": "nobody@example.coop", "password": PASSWORD}
    return {"email": user.email, "password": PASSWORD}


def _invite_persona(w: World, persona: str) -> str:
    user = w.user(persona)
    email = user.email if user else "someone-else@example.coop"
    return Invitation.objects.create(cooperative=w.coop, email=email, invited_by=w.owner).token


def _suspend(w: World, persona: str) -> None:
    Cooperative.objects.filter(pk=w.coop.pk).update(
        verification_status=VerificationStatus.SUSPENDED
    )


@dataclass
class Endpoint:
    method: str
    path: Callable[[World, Any], str]
    expected: dict[str, int]
    body: Callable[[World, str], Any] | None = None
    format: str = "json"
    setup: Callable[[World, str], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# The situations the access table (tests/access/table.py) does not set up: one's own credentials,
# a suspended cooperative, one's own invitation. Every URL × persona is in that table.
ENDPOINTS: dict[str, Endpoint] = {
    "token": Endpoint(
        "post",
        lambda w, _: "/api/v1/auth/token/",
        statuses(400, 200, 200, 200, 200, 200),
        body=_own_credentials,
    ),
    "login": Endpoint(
        "post",
        lambda w, _: "/api/v1/auth/login/",
        statuses(400, 200, 200, 200, 200, 200),
        body=_own_credentials,
    ),
    "suspended-cooperative-detail": Endpoint(
        "get", lambda w, _: f"{w.base}/", statuses(404, 404, 200, 200, 200, 200), setup=_suspend
    ),
    "invitation-accept-own": Endpoint(
        "post",
        lambda w, token: f"/api/v1/invitations/{token}/accept/",
        statuses(401, 201, 409, 409, 409, 201),
        setup=_invite_persona,
    ),
}


def snapshot(w: World) -> dict[str, Any]:
    """What a refused write must leave exactly as it was."""
    coop = Cooperative.objects.get(pk=w.coop.pk)
    return {
        "coop": (coop.city, coop.verification_status, coop.updated_at),
        "memberships": sorted(Membership.objects.values_list("user_id", "cooperative_id", "role")),
        "open_invitations": sorted(
            Invitation.objects.filter(accepted_at=None, revoked_at=None).values_list("pk", "email")
        ),
        "verification_requests": VerificationRequest.objects.count(),
        "cooperatives": Cooperative.objects.count(),
    }


CASES = [
    pytest.param(name, persona, id=f"{name}-{persona}")
    for name in ENDPOINTS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("endpoint", "persona"), CASES)
def test_permission_matrix(world: World, endpoint: str, persona: str) -> None:
    spec = ENDPOINTS[endpoint]
    setup_result = spec.setup(world, persona) if spec.setup else None
    before = snapshot(world)
    kwargs: dict[str, Any] = {}
    if spec.body is not None:
        kwargs = {"data": spec.body(world, persona), "format": spec.format}
    client = world.client(persona)

    response = getattr(client, spec.method)(spec.path(world, setup_result), **kwargs)

    expected = spec.expected[persona]
    assert response.status_code == expected, getattr(response, "data", response)
    if expected >= 400:
        body = response.json()
        assert body.get("detail") or body.get("non_field_errors"), body
        if expected in (401, 403, 404, 409):
            assert body["code"], body
        if spec.method != "get" and endpoint not in {"token", "login"}:
            assert snapshot(world) == before, "a refused request changed something"


def test_successful_writes_do_what_they_say(world: World) -> None:
    """The green cells of the matrix for owners and admins have their effect."""
    owner = world.client("owner")
    assert owner.patch(f"{world.base}/", {"city": "Rosario"}, format="json").json()["city"] == (
        "Rosario"
    )
    invited = owner.post(f"{world.base}/members/", {"email": "Nueva@Example.coop"}, format="json")
    assert invited.json()["email"] == "nueva@example.coop"
    assert invited.json()["token"]
    changed = owner.patch(
        f"{world.base}/members/{world.target.pk}/", {"role": "admin"}, format="json"
    )
    assert changed.json()["role"] == "admin"
    assert Membership.objects.get(pk=world.target.pk).role == Role.ADMIN
    assert owner.delete(f"{world.base}/members/{world.target.pk}/").status_code == 204
    assert not Membership.objects.filter(pk=world.target.pk).exists()
    assert owner.delete(f"{world.base}/invitations/{world.invitation.pk}/").status_code == 204
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is not None
    document = world.client("moderator").get(
        f"{world.base}/verification/documents/{world.document.pk}/"
    )
    assert b"".join(document.streaming_content).startswith(b"%PDF-")
    assert SECRET_DOCUMENT in document["Content-Disposition"]


def test_a_member_may_leave_but_not_remove_others(world: World) -> None:
    member = world.client("member")
    own = Membership.objects.get(user=world.member, cooperative=world.coop)
    assert member.delete(f"{world.base}/members/{world.target.pk}/").status_code == 403
    assert member.delete(f"{world.base}/members/{own.pk}/").status_code == 204
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_only_managers_see_invitation_tokens(world: World) -> None:
    """The token is the secret of the e-mailed link: plain members see the invitation only."""
    for persona, sees_token in [("member", False), ("moderator", False), ("admin", True)]:
        rows = world.client(persona).get(f"{world.base}/invitations/").json()["results"]
        assert [row["email"] for row in rows] == [SECRET_INVITEE]
        assert (rows[0]["token"] == world.invitation.token) is sees_token, persona


def test_private_fields_of_the_profile_only_for_members_and_moderators(world: World) -> None:
    for persona in PERSONAS:
        body = world.client(persona).get(f"{world.base}/").json()
        private = persona in {"member", "admin", "owner", "moderator"}
        assert ("tax_id" in body) is private, persona
        assert ("address" in body) is private, persona
        if private:
            assert body["tax_id"] == SECRET_TAX_ID


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_a_non_member_never_reads_private_data(world: World, persona: str) -> None:
    """Whatever a non-member asks for, no member e-mail, invitation, document or tax detail shows."""
    client = world.client(persona)
    member_emails = list(
        Membership.objects.filter(cooperative=world.coop).values_list("user__email", flat=True)
    )
    secrets = [
        SECRET_TAX_ID,
        SECRET_ADDRESS,
        SECRET_INVITEE,
        SECRET_DOCUMENT,
        world.invitation.token,
        *member_emails,
    ]
    paths = [
        "/api/v1/cooperatives/",
        f"/api/v1/cooperatives/?search={world.coop.name.split()[0]}",
        f"{world.base}/",
        f"{world.base}/members/",
        f"{world.base}/members/{world.target.pk}/",
        f"{world.base}/invitations/",
        f"{world.base}/verification/",
        f"{world.base}/verification/documents/{world.document.pk}/",
        "/api/v1/me/",
    ]
    for path in paths:
        response = client.get(path)
        content = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        ).decode()
        for secret in secrets:
            assert secret not in content, f"{persona} read {secret!r} at {path}"
    listing = client.get("/api/v1/cooperatives/").json()["results"]
    assert world.coop.slug in [row["slug"] for row in listing]
