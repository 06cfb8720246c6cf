"""Writes of listings: create, edit, submit, archive, and `listing_transition`, the one place where
a listing's status changes."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import ensure_email_confirmed
from cooperatives.models import Cooperative
from cooperatives.permissions import ensure_active
from core.errors import DomainError, NotPermitted
from core.money import Money, is_price_jump, price_jump_message
from core.reference import country_codes, currency_codes
from marketplace import permissions
from marketplace.models import (
    MAX_PRICE_AMOUNT,
    Category,
    DeliveryMode,
    Listing,
    ListingEvent,
)
from marketplace.state import LIFECYCLE, ListingStatus, ensure_transition

EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "language",
    "category",
    "sku",
    "price_amount",
    "currency",
    "unit",
    "min_order_quantity",
    "stock",
    "lead_time_days",
    "credit_share_bps",
    "delivery_modes",
    "countries_served",
    "regions_served",
)
# What a moderator judges: changing it on a published listing may send it back to review.
REVIEWED_FIELDS = frozenset({"title", "description", "category"})
REQUIRED_ON_CREATE = ("kind", "title", "category", "price_amount", "currency")
DELIVERY_FLAGS = {
    DeliveryMode.PICKUP: "delivers_pickup",
    DeliveryMode.SHIPPING: "delivers_shipping",
    DeliveryMode.ON_SITE: "delivers_on_site",
    DeliveryMode.REMOTE: "delivers_remote",
}
REASON_REQUIRED = frozenset({"reject", "suspend"})


def submission_needs_review(cooperative: Cooperative) -> bool:
    """Policy "all": every submission is reviewed; "unverified": only unverified sellers'."""
    if settings.LISTING_REVIEW_POLICY == "all":
        return True
    return not cooperative.is_verified


def edit_needs_review(cooperative: Cooperative) -> bool:
    """A seller whose submissions are reviewed is reviewed again after a content edit (or the
    review could be bypassed); others too when LISTING_EDIT_NEEDS_REVIEW is on."""
    return submission_needs_review(cooperative) or settings.LISTING_EDIT_NEEDS_REVIEW


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _resolve_category(value: Any) -> Category:
    if isinstance(value, Category):
        return value
    text = str(value if value is not None else "").strip()
    category = None
    if text.isdigit():
        category = Category.objects.filter(pk=int(text)).first()
    elif text:
        category = Category.objects.filter(slug=text).first()
    if category is None:
        raise ValidationError({"category": [_("Unknown category '%(text)s'.") % {"text": text}]})
    return category


def _normalise(field: str, value: Any) -> Any:
    """Turn an input value into what the model stores, refusing what no listing may hold."""
    if field == "category":
        return _resolve_category(value)
    if field == "currency":
        code = str(value or "").strip().upper()
        if code not in currency_codes():
            raise ValidationError(
                {
                    "currency": [
                        _("'%(value)s' is not an ISO 4217 currency code.") % {"value": value}
                    ]
                }
            )
        return code
    if field == "price_amount":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(
                {"price_amount": [_("Give the price as an integer of minor units.")]}
            )
        if not 1 <= value <= MAX_PRICE_AMOUNT:
            raise ValidationError(
                {
                    "price_amount": [
                        _("The price must be between 1 and %(MAX_PRICE_AMOUNT)s minor units.")
                        % {"MAX_PRICE_AMOUNT": MAX_PRICE_AMOUNT}
                    ]
                }
            )
        return value
    if field == "delivery_modes":
        modes = list(dict.fromkeys(value or []))
        unknown = [mode for mode in modes if mode not in DELIVERY_FLAGS]
        if unknown:
            raise ValidationError(
                {
                    "delivery_modes": [
                        _("Unknown delivery mode '%(unknown)s'; choose from %(join)s.")
                        % {"unknown": unknown[0], "join": ", ".join(DeliveryMode.values)}
                    ]
                }
            )
        return modes
    if field == "countries_served":
        codes = list(dict.fromkeys(str(code).strip().upper() for code in value or []))
        unknown = [code for code in codes if code not in country_codes()]
        if unknown:
            raise ValidationError(
                {
                    "countries_served": [
                        _("'%(unknown)s' is not an ISO 3166-1 alpha-2 code.")
                        % {"unknown": unknown[0]}
                    ]
                }
            )
        return codes
    if field == "language":
        code = str(value or "").strip().lower()
        if code and code not in language_codes():
            raise ValidationError(
                {
                    "language": [
                        _("Choose one of %(join)s or leave empty.")
                        % {"join": ", ".join(sorted(language_codes()))}
                    ]
                }
            )
        return code
    if field in {"title", "description", "sku", "regions_served"}:
        return str(value or "").strip()
    return value


def _apply(listing: Listing, changes: dict[str, Any]) -> set[str]:
    """Set the given fields; return the names of those whose value changed. Every refused value
    is reported at once."""
    changed: set[str] = set()
    errors: dict[str, list[str]] = {}
    for field, raw in changes.items():
        if field not in EDITABLE_FIELDS:
            continue
        try:
            value = _normalise(field, raw)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
            continue
        if field == "category":
            if listing.category_id != value.pk:
                listing.category = value
                changed.add(field)
        elif field == "delivery_modes":
            for mode, flag in DELIVERY_FLAGS.items():
                wanted = mode in value
                if getattr(listing, flag) != wanted:
                    setattr(listing, flag, wanted)
                    changed.add(field)
        elif getattr(listing, field) != value:
            setattr(listing, field, value)
            changed.add(field)
    if errors:
        raise ValidationError(errors)
    return changed


def apply_changes(listing: Listing, changes: dict[str, Any], *, in_bulk: bool = False) -> set[str]:
    """Set and validate the given fields, reporting every problem of every field together."""
    errors: dict[str, list[str]] = {}
    changed: set[str] = set()
    try:
        changed = _apply(listing, changes)
    except ValidationError as exc:
        errors = exc.message_dict
    try:
        _validate(listing, in_bulk=in_bulk, skip=set(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return changed


def _validate(listing: Listing, *, in_bulk: bool = False, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Field rules and SKU uniqueness. `in_bulk`: the caller resolved the category and checks
    SKUs itself, so no query per listing. `skip`: fields already found wrong."""
    exclude = ["cooperative", "created_by", *(["category"] if in_bulk else []), *skip]
    listing.full_clean(exclude=exclude, validate_constraints=False)
    if listing.sku and not in_bulk and "sku" not in skip:
        clash = Listing.objects.filter(cooperative_id=listing.cooperative_id, sku=listing.sku)
        if clash.exclude(pk=listing.pk).exists():
            raise ValidationError(
                {
                    "sku": [
                        _("Another listing of this cooperative has the SKU '%(sku)s'.")
                        % {"sku": listing.sku}
                    ]
                }
            )


def _save(listing: Listing, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            listing.save(**kwargs)
    except IntegrityError as exc:  # a concurrent write took the same SKU
        raise ValidationError(
            {
                "sku": [
                    _("Another listing of this cooperative has the SKU '%(sku)s'.")
                    % {"sku": listing.sku}
                ]
            }
        ) from exc


def _record(
    listing: Listing, *, action: str, actor: User | None, from_status: str, reason: str = ""
) -> ListingEvent:
    return ListingEvent.objects.create(
        listing=listing,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=listing.status,
        reason=reason,
    )


def listing_lock(listing: Listing) -> Listing:
    locked = Listing.objects.select_for_update(of=("self",)).select_related("cooperative")
    return locked.get(pk=listing.pk)


def build_listing(
    *, cooperative: Cooperative, fields: dict[str, Any], in_bulk: bool = False
) -> Listing:
    """An unsaved, validated draft (shared by the API and the CSV import)."""
    missing = [name for name in REQUIRED_ON_CREATE if fields.get(name) in (None, "")]
    if missing:
        raise ValidationError({name: [_("This field is required.")] for name in missing})
    listing = Listing(
        cooperative=cooperative,
        language=cooperative.description_language or "",
        status=ListingStatus.DRAFT,
    )
    apply_changes(listing, fields, in_bulk=in_bulk)
    return listing


@transaction.atomic
def listing_create(*, cooperative: Cooperative, actor: User | None, **fields: Any) -> Listing:
    """Owners and admins add a draft to their cooperative's catalogue."""
    if actor is not None and not permissions.can_manage_listings(actor, cooperative):
        raise NotPermitted(_("Only owners and admins of the cooperative can add listings."))
    ensure_active(cooperative, "create_listing")
    listing = build_listing(cooperative=cooperative, fields=fields)
    listing.created_by = actor
    _save(listing)
    _record(listing, action="create", actor=actor, from_status="")
    return listing


def send_back_if_needed(listing: Listing, *, changed: Iterable[str], actor: User | None) -> Listing:
    reviewed = sorted(set(changed) & (REVIEWED_FIELDS | {"images"}))
    if (
        reviewed
        and listing.status == ListingStatus.PUBLISHED
        and edit_needs_review(listing.cooperative)
    ):
        return _transition_locked(
            listing,
            action="send_back_to_review",
            actor=actor,
            reason=f"Edited by the seller: {', '.join(reviewed)}.",
        )
    return listing


@transaction.atomic
def listing_update(
    *, listing: Listing, actor: User | None, confirm_price_change: bool = False, **changes: Any
) -> Listing:
    """Edit a listing. Editing what moderators judge on a published listing sends it back to
    review when the review policy says so; archived listings are not edited; a price that
    changes by a factor of 50 or more needs `confirm_price_change`."""
    if actor is not None and not permissions.can_edit_listing(actor, listing):
        raise NotPermitted(_("Only owners and admins of the cooperative can edit its listings."))
    locked = listing_lock(listing)
    ensure_active(locked.cooperative, "edit_listing")
    if locked.status == ListingStatus.ARCHIVED:
        raise DomainError(_("Archived listings cannot be edited."), code="listing_archived")
    _check_price_jump(locked, changes, confirmed=confirm_price_change)
    changed = apply_changes(locked, changes)
    if not changed:
        return locked
    _save(locked)
    return send_back_if_needed(locked, changed=changed, actor=actor)


def _check_price_jump(listing: Listing, changes: dict[str, Any], *, confirmed: bool) -> None:
    amount = changes.get("price_amount", listing.price_amount)
    currency = changes.get("currency", listing.currency)
    if confirmed or not isinstance(amount, int) or not isinstance(currency, str):
        return
    new = Money(amount, currency)
    if is_price_jump(listing.price, new):
        raise DomainError(price_jump_message(listing.price, new), code="price_change_unconfirmed")


@transaction.atomic
def listing_submit(*, listing: Listing, actor: User | None) -> Listing:
    """A draft (or a rejected listing, once fixed) goes to review, or straight to the catalogue
    where the review policy allows it."""
    locked = listing_lock(listing)
    if actor is not None and not permissions.can_edit_listing(actor, locked):
        raise NotPermitted(_("Only owners and admins of the cooperative can submit its listings."))
    if actor is not None:
        ensure_email_confirmed(actor)
    ensure_active(locked.cooperative, "submit_listing")
    if not locked.delivery_modes:
        raise ValidationError(
            {"delivery_modes": [_("Choose at least one delivery mode before submitting.")]}
        )
    action = (
        "submit_for_review" if submission_needs_review(locked.cooperative) else "publish_directly"
    )
    return _transition_locked(locked, action=action, actor=actor)


def listing_archive(*, listing: Listing, actor: User | None) -> Listing:
    """Take a listing out of the catalogue for good; it stays for the orders that point to it."""
    return listing_transition(listing=listing, action="archive", actor=actor)


def _transition_locked(
    listing: Listing, *, action: str, actor: User | None, reason: str = ""
) -> Listing:
    if actor is not None and not permissions.can_take_listing_action(actor, listing, action):
        raise NotPermitted(_("You may not do this to this listing."))
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": [_("Say why: the seller will read it.")]})
    from_status = listing.status
    listing.status = ensure_transition(action, from_status)
    listing.status_reason = reason
    now = timezone.now()
    if listing.status == ListingStatus.PENDING_REVIEW or action == "publish_directly":
        listing.submitted_at = now
    if listing.status == ListingStatus.PUBLISHED and listing.published_at is None:
        listing.published_at = now
    listing.save(
        update_fields=["status", "status_reason", "submitted_at", "published_at", "updated_at"]
    )
    _record(listing, action=action, actor=actor, from_status=from_status, reason=reason)
    return listing


@transaction.atomic
def listing_transition(
    *, listing: Listing, action: str, actor: User | None, reason: str = ""
) -> Listing:
    """The single place where a listing's status changes: lock the row, check that `actor` may
    take `action` and that the lifecycle table allows it, set the status (published_at on first
    publication, status_reason), write a ListingEvent. `actor=None` is the system itself.
    Reject and suspend need a reason."""
    if action not in LIFECYCLE.table:
        raise ValueError(f"Unknown listing action {action!r}")
    locked = _transition_locked(listing_lock(listing), action=action, actor=actor, reason=reason)
    for name in ("status", "status_reason", "submitted_at", "published_at", "updated_at"):
        setattr(listing, name, getattr(locked, name))
    return locked
