"""Demo moderation data: two moderators, a few open reports, one decision under appeal.

Idempotent: a second run finds what the first one made and changes nothing.
"""

from typing import Any

from django.contrib.auth.models import Group

from accounts.models import MODERATORS_GROUP, User
from cooperatives.demo import DEMO_PASSWORD, MODERATOR_EMAIL
from cooperatives.models import MANAGING_ROLES
from marketplace.models import Listing
from marketplace.state import ListingStatus
from moderation import services
from moderation.models import ActionKind, Appeal, Report

# One set of demo people: the moderator of the cooperatives' demo, the same published password.
MODERATORS = [
    (MODERATOR_EMAIL, "Moderadora Demo", "es"),
    ("moderator@minga.test", "Demo Moderator", "en"),
]
REPORTS = [
    ("misleading", "The photos do not match what was delivered last time."),
    ("prohibited", "This looks like a counterfeit brand."),
]


def _moderator(email: str, name: str, language: str) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, name=name, language=language)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    user.groups.add(group)
    return user, created


def _reporters_for(listing: Listing, moderators: list[User]) -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .exclude(memberships__cooperative=listing.cooperative)
        .exclude(pk__in=[m.pk for m in moderators])
        .order_by("id")[:2]
    )


def _seed_reports(moderators: list[User]) -> int:
    created = 0
    listings = Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by("id")[:2]
    for listing, (reason, details) in zip(listings, REPORTS, strict=False):
        for reporter in _reporters_for(listing, moderators):
            if Report.objects.filter(reporter=reporter, listing=listing).exists():
                continue
            services.report_create(actor=reporter, listing=listing, reason=reason, details=details)
            created += 1
    return created


def _seed_decision_under_appeal(decider: User) -> str | None:
    already = decider.moderation_actions.filter(
        action__in=[ActionKind.LISTING_REJECT, ActionKind.LISTING_SUSPEND]
    ).exists()
    if already:
        return None
    pending = Listing.objects.filter(status=ListingStatus.PENDING_REVIEW).order_by("id").first()
    if pending is not None:
        decision = services.listing_reject(
            listing=pending,
            actor=decider,
            reason="The description promises certification that the documents do not show.",
        )
    else:
        published = Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by("-id").first()
        if published is None:
            return None
        decision = services.listing_suspend(
            listing=published,
            actor=decider,
            reason="Several buyers reported that the listed stock does not exist.",
        )
    appellant = (
        User.objects.filter(
            memberships__cooperative=decision.affected_cooperative,
            memberships__role__in=MANAGING_ROLES,
        )
        .order_by("id")
        .first()
    )
    if appellant is not None and not Appeal.objects.filter(decision=decision).exists():
        services.appeal_file(
            decision=decision,
            actor=appellant,
            statement="We can send the certificate and photos of our warehouse; please look again.",
        )
    return f"{decision.get_action_display()}: “{decision.listing}” (appeal open)"


def seed(out: Any) -> list[str]:
    if not Listing.objects.exists():
        return []
    moderators = []
    for email, name, language in MODERATORS:
        user, _ = _moderator(email, name, language)
        moderators.append(user)
    reports = _seed_reports(moderators)
    decision = _seed_decision_under_appeal(moderators[0])
    lines = [
        f"Moderators (password {DEMO_PASSWORD!r}): "
        + ", ".join(email for email, _, _ in MODERATORS)
        + " — the second one resolves the first one's appeals.",
    ]
    if reports:
        lines.append(f"Moderation: {reports} open report{'s' if reports != 1 else ''} added.")
    if decision:
        lines.append(f"Moderation: {decision}.")
    return lines
