"""Every write to cooperatives, members, invitations and verification requests."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User, normalize_email
from accounts.services import user_adopt_time_zone
from cooperatives import permissions, selectors
from cooperatives.models import (
    Cooperative,
    Invitation,
    Membership,
    PayoutDetails,
    Role,
    VerificationDocument,
    VerificationRequest,
)
from cooperatives.payout_validation import validate_payout_details
from cooperatives.state import ensure_transition
from core.email import send_email
from core.errors import DomainError, NotFound, NotPermitted, TransitionNotAllowed
from core.reference import country_codes, country_time_zone
from core.timezones import written_for
from core.uploads import (
    EncodedImage,
    check_document,
    open_image,
    square_logo,
    upload_rate_check,
)

PROFILE_FIELDS = (
    "name",
    "legal_form",
    "sector",
    "country",
    "region",
    "time_zone",
    "city",
    "founded_year",
    "member_count",
    "description",
    "description_language",
    "website",
    "contact_email",
    "phone",
    "tax_id",
    "address",
    "is_recuperated",
    "credit_share_bps",
)
MAX_VERIFICATION_DOCUMENTS = 5
# Refused by the services and by the admin's membership forms (409 `last_owner`).
LAST_OWNER = gettext_lazy("A cooperative always keeps an owner: name another owner first.")
VERIFICATION_REFUSALS = {
    "pending": gettext_lazy(
        "A verification request is already waiting for a moderator's decision."
    ),
    "verified": gettext_lazy("This cooperative is already verified."),
    "suspended": gettext_lazy(
        "A suspended cooperative cannot ask for verification; contact the moderators."
    ),
}


def _check_country(country: str) -> str:
    code = (country or "").upper()
    if code not in country_codes():
        raise ValidationError(
            {
                "country": [
                    _("'%(country)s' is not an ISO 3166-1 alpha-2 country code.")
                    % {"country": country}
                ]
            }
        )
    return code


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "cooperative"
    slug, counter = base, 2
    while Cooperative.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _encode_logo(
    logo: UploadedFile, *, actor: User, cooperative: Cooperative | None = None
) -> EncodedImage:
    """Count the upload toward the rates, validate and re-encode the logo before anything is
    written."""
    upload_rate_check(user_id=actor.pk, cooperative_id=cooperative.pk if cooperative else None)
    try:
        return square_logo(open_image(logo).image)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from exc


def _store_logo(cooperative: Cooperative, encoded: EncodedImage) -> None:
    """Write the new logo file; the old one is deleted only once the new row is committed."""
    old_name = cooperative.logo.name if cooperative.logo else ""
    cooperative.logo.save("logo.webp", encoded.content, save=False)
    if old_name:
        storage = cooperative.logo.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def _join(actor: User, cooperative: Cooperative, role: str) -> Membership:
    """The actor becomes a member with this role: they take the cooperative's time zone if they
    have none, and their cached roles are read again."""
    membership = Membership.objects.create(user=actor, cooperative=cooperative, role=role)
    user_adopt_time_zone(user=actor, time_zone=cooperative.time_zone)
    permissions.forget_roles(actor)
    return membership


@transaction.atomic
def cooperative_create(
    *, actor: User, slug: str = "", logo: UploadedFile | None = None, **profile: Any
) -> Cooperative:
    """Create a cooperative; its creator becomes its first owner."""
    profile = {key: value for key, value in profile.items() if key in PROFILE_FIELDS}
    profile["country"] = _check_country(profile.get("country", ""))
    profile["time_zone"] = profile.get("time_zone") or country_time_zone(profile["country"])
    encoded_logo = _encode_logo(logo, actor=actor) if logo is not None else None
    if slug:
        if Cooperative.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"slug": [_("The slug '%(slug)s' is already taken.") % {"slug": slug}]}
            )
    else:
        slug = _unique_slug(profile.get("name", ""))
    cooperative = Cooperative(slug=slug, **profile)
    cooperative.full_clean(exclude=["logo"])
    try:
        with transaction.atomic():
            cooperative.save()
    except IntegrityError as exc:  # a concurrent creation took the slug first
        raise ValidationError(
            {"slug": [_("The slug '%(slug)s' is already taken.") % {"slug": slug}]}
        ) from exc
    _join(actor, cooperative, Role.OWNER)
    if encoded_logo is not None:
        _store_logo(cooperative, encoded_logo)
        cooperative.save(update_fields=["logo"])
    return cooperative


@transaction.atomic
def cooperative_update(
    *, cooperative: Cooperative, actor: User, logo: UploadedFile | None = None, **changes: Any
) -> Cooperative:
    """Owners and admins edit the profile; verification and Stripe fields are not theirs to set."""
    if not permissions.can_manage_cooperative(actor, cooperative):
        raise NotPermitted(_("Only owners and admins can edit this cooperative."))
    encoded_logo = (
        _encode_logo(logo, actor=actor, cooperative=cooperative) if logo is not None else None
    )
    cooperative = _lock_cooperative(cooperative)
    permissions.ensure_active(cooperative, "edit_profile")
    for field, value in changes.items():
        if field not in PROFILE_FIELDS:
            continue
        if field == "country":
            value = _check_country(value)
        setattr(cooperative, field, value)
    cooperative.time_zone = cooperative.time_zone or country_time_zone(cooperative.country)
    cooperative.full_clean(exclude=["logo"])
    if encoded_logo is not None:
        _store_logo(cooperative, encoded_logo)
    cooperative.save()
    return cooperative


def _lock_cooperative(cooperative: Cooperative) -> Cooperative:
    """Writes to a cooperative and its members lock its row first (always the cooperative, then
    its children), so two membership changes cannot together remove the last owner."""
    return Cooperative.objects.select_for_update().get(pk=cooperative.pk)


def _lock_membership(membership: Membership, cooperative: Cooperative) -> Membership:
    locked = (
        Membership.objects.select_for_update()
        .filter(pk=membership.pk, cooperative=cooperative)
        .first()
    )
    if locked is None:  # removed by someone else while this request waited for the lock
        raise NotFound(_("No member with this id in this cooperative."))
    locked.cooperative = cooperative
    return locked


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("'%(role)s' is not a role; choose one of %(join)s.")
                    % {"role": role, "join": ", ".join(Role.values)}
                ]
            }
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Owners change any role, admins those of admins and members; an owner always remains."""
    _check_role(role)
    cooperative = _lock_cooperative(membership.cooperative)
    membership = _lock_membership(membership, cooperative)
    # Judge with the roles as they are now that the rows are locked, not as the request began.
    permissions.forget_roles(actor)
    if not permissions.can_change_role(actor, membership, role):
        raise NotPermitted(_("You may not give or take this role."))
    permissions.ensure_active(cooperative, "change_member")
    if role != Role.OWNER and membership.is_last_owner:
        raise DomainError(LAST_OWNER, code="last_owner")
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.forget_roles(actor)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Members may leave; owners remove anyone, admins admins and members; an owner remains."""
    cooperative = _lock_cooperative(membership.cooperative)
    membership = _lock_membership(membership, cooperative)
    permissions.forget_roles(actor)
    if not permissions.can_remove_member(actor, membership):
        raise NotPermitted(_("You may not remove this member."))
    is_leaving = membership.user_id == actor.pk
    permissions.ensure_active(cooperative, "leave" if is_leaving else "change_member")
    if membership.is_last_owner:
        raise DomainError(LAST_OWNER, code="last_owner")
    membership.delete()
    permissions.forget_roles(actor)


@transaction.atomic
def invitation_create(
    *, cooperative: Cooperative, email: str, role: str, actor: User
) -> Invitation:
    """Invite a person by e-mail; a newer invitation to the same address replaces the open one."""
    _check_role(role)
    if not permissions.can_invite_member(actor, cooperative, role):
        raise NotPermitted(_("You may not invite members with this role."))
    # Serialises invitations of one cooperative: two at once to one address cannot both stay open.
    cooperative = _lock_cooperative(cooperative)
    permissions.ensure_active(cooperative, "invite_member")
    email = normalize_email(email)
    if cooperative.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": [_("This person is already a member of the cooperative.")]})
    now = timezone.now()
    cooperative.invitations.select_for_update().filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        cooperative=cooperative, email=email, role=role, invited_by=actor
    )
    link = f"{settings.SITE_URL}/invitations/{invitation.token}/"
    # The invitee's own language and zone when they already have an account, else the
    # inviter's language and the cooperative's zone (the expiry date is the reader's).
    invitee = User.objects.filter(email__iexact=email).only("language", "time_zone").first()
    language = (invitee.language if invitee else "") or translation.get_language()
    zone = (invitee.time_zone if invitee else "") or cooperative.zone_name
    with written_for(language, zone):
        subject = _("You are invited to join %(cooperative)s on Minga") % {
            "cooperative": cooperative.name
        }
        message = _(
            "%(inviter)s invited you to join %(cooperative)s as %(role)s.\n\n"
            "Accept the invitation: %(link)s\n\nIt expires on %(date)s."
        ) % {
            "inviter": actor.name,
            "cooperative": cooperative.name,
            "role": invitation.get_role_display(),
            "link": link,
            "date": date_format(timezone.localdate(invitation.expires_at), "DATE_FORMAT"),
        }
    transaction.on_commit(lambda: send_email(to=email, subject=subject, body=message))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if not permissions.can_manage_cooperative(actor, invitation.cooperative):
        raise NotPermitted(_("Only owners and admins can revoke invitations."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_accept(*, token: str, actor: User) -> Membership:
    """Join the cooperative; the invitation must be open and addressed to the actor's e-mail."""
    found = Invitation.objects.filter(token=token).only("pk", "cooperative_id").first()
    if found is None:
        raise NotFound(_("This invitation does not exist."))
    cooperative = Cooperative.objects.select_for_update().get(pk=found.cooperative_id)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation.cooperative = cooperative
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn."), code="invitation_revoked")
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation was already accepted."), code="invitation_used")
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired; ask for a new one."), code="invitation_expired"
        )
    if normalize_email(actor.email) != normalize_email(invitation.email):
        raise NotPermitted(_("This invitation was sent to another e-mail address."))
    if Membership.objects.filter(user=actor, cooperative=invitation.cooperative).exists():
        raise DomainError(_("You are already a member of this cooperative."), code="already_member")
    permissions.ensure_active(cooperative, "join")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return _join(actor, cooperative, invitation.role)


@transaction.atomic
def verification_request_submit(
    *, cooperative: Cooperative, actor: User, documents: Iterable[UploadedFile], note: str = ""
) -> VerificationRequest:
    """Ask moderators to verify the cooperative, with at least one PDF or image document."""
    if not permissions.can_request_verification(actor, cooperative):
        raise NotPermitted(_("Only owners and admins can ask for verification."))
    documents = list(documents)
    if not documents:
        raise ValidationError({"documents": [_("Attach at least one document (PDF or image).")]})
    if len(documents) > MAX_VERIFICATION_DOCUMENTS:
        raise ValidationError(
            {
                "documents": [
                    _("Attach at most %(MAX_VERIFICATION_DOCUMENTS)s documents.")
                    % {"MAX_VERIFICATION_DOCUMENTS": MAX_VERIFICATION_DOCUMENTS}
                ]
            }
        )
    content_types = []
    for upload in documents:
        upload_rate_check(user_id=actor.pk, cooperative_id=cooperative.pk)
        try:
            content_types.append(check_document(upload))
        except ValidationError as exc:
            raise ValidationError(
                {"documents": [f"{upload.name}: {m}" for m in exc.messages]}
            ) from exc
    cooperative = _lock_cooperative(cooperative)
    current = cooperative.verification_status
    try:
        cooperative.verification_status = ensure_transition("request_verification", current)
    except TransitionNotAllowed as exc:
        raise TransitionNotAllowed(
            VERIFICATION_REFUSALS.get(current, exc.detail), code=exc.code
        ) from exc
    cooperative.save(update_fields=["verification_status", "updated_at"])
    try:
        with transaction.atomic():
            request = VerificationRequest.objects.create(
                cooperative=cooperative, submitted_by=actor, note=note
            )
    except IntegrityError as exc:  # a pending request left behind by an earlier status change
        raise DomainError(VERIFICATION_REFUSALS["pending"], code="verification_pending") from exc
    for upload, content_type in zip(documents, content_types, strict=True):
        document = VerificationDocument(
            request=request,
            original_name=(upload.name or "document")[:255],
            content_type=content_type,
            size=upload.size or 0,
        )
        document.file.save("document", upload, save=False)
        document.save()
    return request


@transaction.atomic
def memberships_leave_all(*, user: User) -> list[str]:
    """A person leaving Minga leaves every cooperative; refused (409 `last_owner`) while they are
    the only owner of one, which must never be left without an owner: hand it over first.
    Cooperatives are locked in primary-key order, like every membership write."""
    ids = sorted(Membership.objects.filter(user=user).values_list("cooperative_id", flat=True))
    cooperatives = list(Cooperative.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    sole = selectors.cooperatives_solely_owned_by(user)
    if sole:
        raise DomainError(
            _(
                "You are the only owner of %(cooperatives)s: name another owner there first, "
                "then delete your account."
            )
            % {"cooperatives": ", ".join(cooperative.name for cooperative in sole)},
            code="last_owner",
        )
    memberships = Membership.objects.filter(user=user, cooperative__in=cooperatives)
    left = [cooperative.slug for cooperative in cooperatives]
    memberships.delete()
    permissions.forget_roles(user)
    return left


PROFILE_EXPORT_FIELDS = (
    "id",
    "slug",
    *PROFILE_FIELDS,
    "verification_status",
    "stripe_account_id",
    "is_payouts_enabled",
    "created_at",
)


def cooperative_export_records(*, cooperative: Cooperative) -> dict[str, Any]:
    """This app's part of a cooperative's export (flows.cooperatives.cooperative_export):
    profile, members, invitations and verification requests, as JSON-ready values."""
    profile = {name: getattr(cooperative, name) for name in PROFILE_EXPORT_FIELDS}
    profile["logo"] = cooperative.logo.url if cooperative.logo else None
    members = cooperative.memberships.select_related("user").order_by("created_at", "id")
    invitations = cooperative.invitations.order_by("created_at", "id")
    requests = cooperative.verification_requests.prefetch_related("documents").order_by(
        "created_at", "id"
    )
    return {
        "cooperative": profile,
        "members": [
            {
                "name": membership.user.name,
                "email": membership.user.email,
                "role": membership.role,
                "joined_at": membership.created_at,
            }
            for membership in members
        ],
        "invitations": list(
            invitations.values(
                "email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"
            )
        ),
        "verification_requests": [
            {
                "status": request.status,
                "note": request.note,
                "created_at": request.created_at,
                "decided_at": request.decided_at,
                "decision_reason": request.decision_reason,
                "documents": [
                    {
                        "name": document.original_name,
                        "content_type": document.content_type,
                        "size": document.size,
                        "uploaded_at": document.uploaded_at,
                    }
                    for document in request.documents.all()
                ],
            }
            for request in requests
        ],
    }


# -- Stripe Connect: the cooperative's connected account (the orders app's payments talk to Stripe)


@transaction.atomic
def cooperative_set_stripe_account(*, cooperative: Cooperative, account_id: str) -> Cooperative:
    """Remember the cooperative's connected account, once: an account already recorded is kept
    (the payments code creates it with an idempotency key per cooperative, so both are the same)."""
    if not account_id:
        raise ValueError("a Stripe account id is required")
    cooperative = _lock_cooperative(cooperative)
    if not cooperative.stripe_account_id:
        cooperative.stripe_account_id = account_id
        cooperative.save(update_fields=["stripe_account_id", "updated_at"])
    return cooperative


@transaction.atomic
def cooperative_set_payouts_enabled(*, cooperative: Cooperative, enabled: bool) -> Cooperative:
    """Whether card checkouts may include this seller (what Stripe says about its account)."""
    cooperative = _lock_cooperative(cooperative)
    if cooperative.is_payouts_enabled != enabled:
        cooperative.is_payouts_enabled = enabled
        cooperative.save(update_fields=["is_payouts_enabled", "updated_at"])
    return cooperative


# -- Payout details: where buyers pay the cooperative's invoices

PAYOUT_EDIT_REFUSAL = gettext_lazy(
    "Only owners and admins can change where the cooperative is paid."
)


@transaction.atomic
def payout_details_update(*, cooperative: Cooperative, actor: User, **data: Any) -> PayoutDetails:
    """Owners and admins set the cooperative's payout details; they are checked by the rules of
    the cooperative's country (check digits included) and replace the previous ones whole."""
    if not permissions.can_edit_payout_details(actor, cooperative):
        raise NotPermitted(PAYOUT_EDIT_REFUSAL)
    cooperative = _lock_cooperative(cooperative)
    cleaned = validate_payout_details(cooperative.country, data)
    details, _created = PayoutDetails.objects.update_or_create(
        cooperative=cooperative,
        defaults={**cleaned, "country": cooperative.country, "updated_by": actor},
    )
    return details
