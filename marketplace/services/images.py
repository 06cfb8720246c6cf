"""Listing images: validated by content, re-encoded without metadata, thumbnailed, ordered."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from accounts.models import User
from cooperatives.permissions import ensure_active
from core.errors import DomainError, NotPermitted
from core.text import clean_one_line
from core.uploads import EncodedImage, encode_webp, open_image, upload_rate_check
from marketplace import permissions
from marketplace.models import Listing, ListingImage
from marketplace.services.listings import listing_lock, send_back_if_needed
from marketplace.state import ListingStatus

MAX_IMAGES_PER_LISTING = 10
STORED_MAX_SIDE = 2400
THUMBNAIL_LARGE_WIDTH = 1200
THUMBNAIL_SMALL_WIDTH = 400


def encode_listing_image(image: Image.Image) -> tuple[EncodedImage, EncodedImage, EncodedImage]:
    """The stored image (at most 2400 px on its longest side) and its 1200 and 400 px thumbnails,
    all WebP without metadata."""
    base = image
    if max(base.size) > STORED_MAX_SIDE:
        # A new, smaller image: no full-size copy of a large upload is made.
        base = ImageOps.contain(base, (STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    full = encode_webp(base)
    large = encode_webp(base, max_width=THUMBNAIL_LARGE_WIDTH)
    small = encode_webp(base, max_width=THUMBNAIL_SMALL_WIDTH)
    return full, large, small


def store_listing_image(
    listing: Listing,
    encoded: tuple[EncodedImage, EncodedImage, EncodedImage],
    *,
    alt_text: str = "",
    position: int = 0,
) -> ListingImage:
    full, large, small = encoded
    token = secrets.token_hex(8)
    image = ListingImage(listing=listing, alt_text=alt_text.strip(), position=position)
    image.image.save(f"{token}.webp", full.content, save=False)
    image.thumbnail_large.save(f"{token}-{THUMBNAIL_LARGE_WIDTH}.webp", large.content, save=False)
    image.thumbnail_small.save(f"{token}-{THUMBNAIL_SMALL_WIDTH}.webp", small.content, save=False)
    image.width, image.height = full.width, full.height
    image.save()
    return image


def _check_editable(listing: Listing, actor: User | None) -> None:
    if actor is not None and not permissions.can_edit_listing(actor, listing):
        raise NotPermitted(_("Only owners and admins of the cooperative can change its images."))
    ensure_active(listing.cooperative, "edit_listing")
    if listing.status == ListingStatus.ARCHIVED:
        raise DomainError(_("Archived listings cannot be edited."), code="listing_archived")


def listing_image_add(
    *, listing: Listing, actor: User | None, upload: UploadedFile, alt_text: str = ""
) -> ListingImage:
    """Add an image (JPEG, PNG or WebP by content, at most 10 per listing). The upload counts
    toward the person's and the cooperative's upload rates; the file is judged and re-encoded
    before any lock is taken; a published listing may go back to review."""
    _check_editable(listing, actor)
    if len(alt_text) > 300:
        raise ValidationError(
            {"alt_text": [_("Keep the description of the image under 300 characters.")]}
        )
    alt_text = clean_one_line("alt_text", alt_text)
    if actor is not None:
        upload_rate_check(user_id=actor.pk, cooperative_id=listing.cooperative_id)
    try:
        validated = open_image(upload, fit=STORED_MAX_SIDE)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    encoded = encode_listing_image(validated.image)
    with transaction.atomic():
        locked = listing_lock(listing)
        _check_editable(locked, None)
        count = locked.images.count()
        if count >= MAX_IMAGES_PER_LISTING:
            raise ValidationError(
                {
                    "image": [
                        _("A listing has at most %(MAX_IMAGES_PER_LISTING)s images.")
                        % {"MAX_IMAGES_PER_LISTING": MAX_IMAGES_PER_LISTING}
                    ]
                }
            )
        last = locked.images.aggregate(last=Max("position"))["last"]
        image = store_listing_image(
            locked, encoded, alt_text=alt_text, position=0 if last is None else last + 1
        )
        send_back_if_needed(locked, changed={"images"}, actor=actor)
    return image


def _renumber(listing: Listing, ordered: list[ListingImage]) -> None:
    for position, image in enumerate(ordered):
        if image.position != position:
            image.position = position
            image.save(update_fields=["position"])


@transaction.atomic
def listing_image_update(
    *,
    image: ListingImage,
    actor: User | None,
    alt_text: str | None = None,
    position: int | None = None,
) -> ListingImage:
    """Change an image's alt text or move it (position 0 is the cover shown in lists)."""
    listing = listing_lock(image.listing)
    _check_editable(listing, actor)
    images = list(listing.images.select_for_update().order_by("position", "id"))
    current = next((candidate for candidate in images if candidate.pk == image.pk), None)
    if current is None:
        raise DomainError(_("This image was removed meanwhile."), code="image_gone")
    if alt_text is not None:
        if len(alt_text) > 300:
            raise ValidationError({"alt_text": [_("Keep it under 300 characters.")]})
        current.alt_text = clean_one_line("alt_text", alt_text)
        current.save(update_fields=["alt_text"])
    if position is not None:
        images.remove(current)
        images.insert(max(0, min(position, len(images))), current)
        _renumber(listing, images)
    return current


@transaction.atomic
def listing_image_delete(*, image: ListingImage, actor: User | None) -> None:
    """Remove an image; its files go once the transaction commits."""
    listing = listing_lock(image.listing)
    _check_editable(listing, actor)
    image = ListingImage.objects.select_for_update().get(pk=image.pk)
    files: list[Any] = [image.image, image.thumbnail_large, image.thumbnail_small]
    names = [(f.storage, f.name) for f in files if f]
    image.delete()
    _renumber(listing, list(listing.images.order_by("position", "id")))

    def remove_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
