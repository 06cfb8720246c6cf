"""Demo cooperatives, their members, a moderator and an administrator (fictional, all of them).

`seed(out)` is idempotent: people are keyed on e-mail and cooperatives on slug; a second run finds
them all and creates nothing. Cooperatives are created through the same services as the API, so
logos are validated and re-encoded and the creator becomes the first owner.
"""

import io
import json
import math
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import MODERATORS_GROUP, User, normalize_email
from cooperatives import services
from cooperatives.models import (
    MANAGING_ROLES,
    Cooperative,
    Membership,
    Role,
    VerificationRequest,
)
from cooperatives.state import VerificationStatus, ensure_transition

DEMO_PASSWORD = "minga-demo-2026"  # nosec B105  # the published password of demo accounts
ADMIN_EMAIL = "admin@minga.test"
MODERATOR_EMAIL = "moderadora@minga.test"


@dataclass(frozen=True)
class DemoCooperative:
    slug: str
    initials: str
    colour: str
    profile: dict[str, Any]
    # (e-mail, name, role); the first one is the owner who creates the cooperative.
    people: list[tuple[str, str, str]]
    verification: str = VerificationStatus.UNVERIFIED
    emblem: int = 0


# The demo cooperatives are data: one row each in demo_data/cooperatives.json (profile fields as
# `services.cooperative_create` takes them, people as [e-mail, name, role], and the payout
# details of those that have them).
DATA = Path(__file__).parent / "demo_data" / "cooperatives.json"
ROWS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))


def _demo_cooperative(row: dict[str, Any]) -> DemoCooperative:
    """A row of the file as a `DemoCooperative` (its payout details are read apart, below)."""
    named = {field.name: row[field.name] for field in fields(DemoCooperative)}
    return DemoCooperative(**{**named, "people": [tuple(person) for person in row["people"]]})


COOPERATIVES: list[DemoCooperative] = [_demo_cooperative(row) for row in ROWS]

# A tiny but well-formed one-page PDF, standing in for a cooperative's statutes.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font still works
        return ImageFont.load_default()


def _polygon(
    centre: float, radius: float, sides: int, rotation: float
) -> list[tuple[float, float]]:
    return [
        (
            centre + radius * math.cos(rotation + 2 * math.pi * k / sides),
            centre + radius * math.sin(rotation + 2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]


def draw_logo(initials: str, colour: str, emblem: int, size: int = 512) -> bytes:
    """A simple emblem (circle, triangle, hexagon or diamond) behind the initials, as PNG bytes."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    centre, radius = size / 2, size * 0.38
    light = (255, 255, 255)
    width = max(4, size // 40)
    if emblem % 4 == 0:
        draw.ellipse(
            (centre - radius, centre - radius, centre + radius, centre + radius),
            outline=light,
            width=width,
        )
    else:
        sides, rotation = {1: (3, -math.pi / 2), 2: (6, 0.0), 3: (4, 0.0)}[emblem % 4]
        points = _polygon(centre, radius, sides, rotation)
        draw.polygon(points, outline=light, width=width)
    # A triangle's room is low and narrow: its initials sit lower and smaller.
    height, font_size = (1.18, size // 5) if emblem % 4 == 1 else (1.04, size // 4)
    draw.text((centre, centre * height), initials, fill=light, font=_font(font_size), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# Where buyers pay the demo sellers (fictional, with valid check digits so the Payments page
# accepts them): one set per country's scheme. Café Tierra Alta has none, so the demo also shows
# what buyers and the seller read when details are missing.
DEMO_PAYOUT_DETAILS: dict[str, dict[str, str]] = {
    row["slug"]: row["payout_details"] for row in ROWS if "payout_details" in row
}


def _seed_payout_details() -> int:
    """Give the demo sellers their payout details where they have none yet (also in a demo
    database seeded before the Payments page existed); through the service, so they are checked."""
    count = 0
    for cooperative in Cooperative.objects.filter(
        slug__in=DEMO_PAYOUT_DETAILS, payout_details__isnull=True
    ):
        owner = cooperative.memberships.filter(role=Role.OWNER).select_related("user").first()
        if owner is None:
            continue
        services.payout_details_update(
            cooperative=cooperative,
            actor=owner.user,
            account_holder=cooperative.name,
            **DEMO_PAYOUT_DETAILS[cooperative.slug],
        )
        count += 1
    return count


@cache
def _password_hash() -> str:
    """Hashed once: 25 accounts at a million PBKDF2 rounds each would take most of a minute."""
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, name: str, created: list[str], **extra: Any) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create(
            email=normalize_email(email),
            name=name,
            password=_password_hash(),
            email_confirmed_at=timezone.now(),  # the demo's addresses receive no mail
            **extra,
        )
        created.append(email)
    return user


def _verify_for_demo(cooperative: Cooperative, owner: User, moderator: User) -> None:
    """A verified cooperative, as if a moderator approved its request: through the state table."""
    request = services.verification_request_submit(
        cooperative=cooperative,
        actor=owner,
        documents=[SimpleUploadedFile("estatuto.pdf", DEMO_PDF, "application/pdf")],
        note="Estatuto y matrícula.",
    )
    cooperative.refresh_from_db()
    now = timezone.now()
    cooperative.verification_status = ensure_transition("verify", cooperative.verification_status)
    cooperative.verified_at = now
    cooperative.save(update_fields=["verification_status", "verified_at", "updated_at"])
    request.status = VerificationRequest.Status.APPROVED
    request.decided_at = now
    request.decided_by = moderator
    request.decision_reason = "Documentación en regla."
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])


def _seed_cooperative(spec: DemoCooperative, moderator: User, created_people: list[str]) -> bool:
    if Cooperative.objects.filter(slug=spec.slug).exists():
        return False
    people = [(demo_user(email, name, created_people), role) for email, name, role in spec.people]
    owner = people[0][0]
    logo = SimpleUploadedFile(
        "logo.png", draw_logo(spec.initials, spec.colour, spec.emblem), "image/png"
    )
    cooperative = services.cooperative_create(
        actor=owner, slug=spec.slug, logo=logo, **spec.profile
    )
    for user, role in people[1:]:
        # Demo members join directly: invitations would print a dozen e-mails on the console.
        Membership.objects.get_or_create(
            user=user, cooperative=cooperative, defaults={"role": role}
        )
    if spec.verification == VerificationStatus.VERIFIED:
        _verify_for_demo(cooperative, owner, moderator)
    elif spec.verification == VerificationStatus.PENDING:
        services.verification_request_submit(
            cooperative=cooperative,
            actor=owner,
            documents=[SimpleUploadedFile("estatuto.pdf", DEMO_PDF, "application/pdf")],
            note="Adjuntamos el estatuto y el acta de la última asamblea.",
        )
    return True


def manager_of(cooperative: Cooperative) -> User | None:
    """The cooperative's first owner (else admin): who acts for it in the demo."""
    membership = (
        Membership.objects.filter(cooperative=cooperative, role__in=MANAGING_ROLES)
        .select_related("user")
        .order_by("role", "id")
        .first()
    )
    return membership.user if membership else None


def seed(out: TextIO) -> list[str]:
    """Create what is missing of the demo cooperatives and accounts; return the lines to print."""
    created_people: list[str] = []
    demo_user(ADMIN_EMAIL, "Minga Admin", created_people, is_staff=True, is_superuser=True)
    moderator = demo_user(MODERATOR_EMAIL, "Inés Moderadora", created_people)
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderator.groups.add(group)

    created = [
        spec.slug for spec in COOPERATIVES if _seed_cooperative(spec, moderator, created_people)
    ]
    out.write(
        f"cooperatives: {len(created)} demo cooperatives and {len(created_people)} accounts created"
        f" ({len(COOPERATIVES) - len(created)} cooperatives were already there); payout details"
        f" for {_seed_payout_details()}.\n"
    )
    return demo_accounts()


def demo_accounts() -> list[str]:
    """Who to sign in as, for the README and the console."""
    roles: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for spec in COOPERATIVES:
        for email, name, role in spec.people:
            names[email] = name
            roles.setdefault(email, []).append(f"{role} of {spec.profile['name']}")
    lines = [
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
        f"  {ADMIN_EMAIL:<24} superuser, Django admin at /admin/",
        f"  {MODERATOR_EMAIL:<24} moderator",
    ]
    for email, held in roles.items():
        lines.append(f"  {email:<24} {'; '.join(held)}")
    return lines
