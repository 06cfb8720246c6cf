"""Uploaded files are judged by their content, size-limited and re-encoded before they are stored.

The work an upload may cost is bounded before any pixel is decoded (docs/security.md, "Uploaded
files"): the header's dimensions are checked against a pixel limit and an aspect-ratio limit,
at most MAX_IMAGE_DECODED_PIXELS are ever decoded (a larger JPEG is decoded at 1/2, 1/4 or 1/8
scale, a larger PNG or WebP is refused), and each person and each cooperative may upload only
so many files a minute (`upload_rate_check`, called by the services after they authorised the
upload, so the API and the pages share the counts and nobody spends another's budget).
"""

import io
import math
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.errors import TryLater

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# Pillow inflates a PNG's compressed text and colour-profile chunks while it reads the header,
# up to 64 MB of them per file by default, from a few kilobytes on the wire. We keep none of it
# (images are re-encoded without metadata): 2 MB in all is plenty for a real colour profile.
PngImagePlugin.MAX_TEXT_MEMORY = 2 * PngImagePlugin.MAX_TEXT_CHUNK
# Scales at which libjpeg can decode a JPEG directly, without decoding it whole first.
JPEG_SCALES = (1, 2, 4, 8)


def check_size(upload: UploadedFile) -> None:
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": upload.size, "limit": limit},
            code="too_large",
        )


IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class ValidatedImage:
    image: Image.Image
    format: str

    @property
    def content_type(self) -> str:
        return IMAGE_CONTENT_TYPES[self.format]


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The file is not an image in JPEG, PNG or WebP format."), code="not_an_image"
    )


def _damaged() -> ValidationError:
    return ValidationError(_("The image is damaged or truncated."), code="damaged_image")


def _metadata_too_large() -> ValidationError:
    return ValidationError(
        _("The image carries too much embedded text or colour-profile data."),
        code="metadata_too_large",
    )


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels; the limit is %(max_pixels)s.")
        % {"max_pixels": max_pixels},
        code="too_many_pixels",
    )


def check_dimensions(width: int, height: int, image_format: str) -> int:
    """Judge an image by the size its header declares, before a pixel is decoded; return the
    JPEG scale (1, 2, 4 or 8) that keeps the decoded pixels within MAX_IMAGE_DECODED_PIXELS."""
    max_pixels = settings.MAX_IMAGE_PIXELS
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > max_pixels:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; the limit is %(max_pixels)s pixels.")
            % {"width": width, "height": height, "max_pixels": max_pixels},
            code="too_many_pixels",
        )
    max_ratio = settings.MAX_IMAGE_ASPECT_RATIO
    if max(width, height) > max_ratio * min(width, height):
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels: one side may be at most "
                "%(max_ratio)s times the other."
            )
            % {"width": width, "height": height, "max_ratio": max_ratio},
            code="aspect_ratio",
        )
    max_decoded = settings.MAX_IMAGE_DECODED_PIXELS
    for scale in JPEG_SCALES:
        if math.ceil(width / scale) * math.ceil(height / scale) <= max_decoded:
            if scale == 1 or image_format == "JPEG":
                return scale
            break
    raise ValidationError(
        _(
            "The image is %(width)s×%(height)s pixels; PNG and WebP images may have at most "
            "%(max_decoded)s pixels (JPEG photos up to %(max_pixels)s)."
        )
        % {
            "width": width,
            "height": height,
            "max_decoded": max_decoded,
            "max_pixels": max_pixels,
        },
        code="too_many_pixels",
    )


def _jpeg_scale(width: int, height: int, least: int, fit: int | None) -> int:
    """The largest scale at least `least` whose longer side still covers `fit` pixels."""
    scale = least
    if fit is None:
        return scale
    for candidate in JPEG_SCALES:
        if candidate > scale and max(width, height) // candidate >= fit:
            scale = candidate
    return scale


def open_image(upload: UploadedFile, *, fit: int | None = None) -> ValidatedImage:
    """Open an upload as an image, refusing anything that is not JPEG, PNG or WebP by content,
    anything over the pixel or aspect-ratio limits (decompression bombs included), oversized
    metadata, and damaged or truncated files.

    `fit`: the caller keeps at most this many pixels on the longer side, so a JPEG may be
    decoded at a reduced scale as long as its longer side stays at least `fit` pixels."""
    check_size(upload)
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels(settings.MAX_IMAGE_PIXELS) from exc
        except ValueError as exc:  # PngImagePlugin: text or ICC chunk past its limits
            raise _metadata_too_large() from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise _not_an_image() from exc
        except Exception as exc:  # any other failure of the parser on hostile bytes
            raise _not_an_image() from exc
        if probe.format not in ACCEPTED_IMAGE_FORMATS:
            raise ValidationError(
                _("Images must be JPEG, PNG or WebP; this one is %(value)s.")
                % {"value": probe.format or "unknown"},
                code="unsupported_format",
            )
        image_format = probe.format
        width, height = probe.size
        scale = check_dimensions(width, height, image_format)
        try:
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if image_format == "JPEG":
                scale = _jpeg_scale(width, height, scale, fit)
                if scale > 1:
                    image.draft(image.mode, (width // scale, height // scale))
            image.load()
        except ValueError as exc:
            raise _metadata_too_large() from exc
        except Exception as exc:  # truncated, damaged or hostile pixel data
            raise _damaged() from exc
    # Turn the pixels as the camera said, then forget every EXIF tag (GPS included); in place,
    # so a large image is not held twice.
    ImageOps.exif_transpose(image, in_place=True)
    return ValidatedImage(image, image_format)


@dataclass(frozen=True)
class EncodedImage:
    content: ContentFile
    width: int
    height: int


def encode_webp(
    image: Image.Image, *, max_width: int | None = None, quality: int = 82
) -> EncodedImage:
    """Re-encode to WebP without metadata, scaled down to `max_width` when wider."""
    working = image
    if working.mode not in ("RGB", "RGBA"):
        working = working.convert("RGBA" if "A" in working.getbands() else "RGB")
    if max_width and working.width > max_width:
        height = max(1, round(working.height * max_width / working.width))
        working = working.resize((max_width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    working.save(buffer, format="WEBP", quality=quality, method=4)
    return EncodedImage(ContentFile(buffer.getvalue()), working.width, working.height)


def square_logo(image: Image.Image, size: int = 512) -> EncodedImage:
    fitted = ImageOps.fit(image.convert("RGBA"), (size, size), Image.Resampling.LANCZOS)
    return encode_webp(fitted)


def check_document(upload: UploadedFile) -> str:
    """Accept a PDF or a JPEG/PNG/WebP image as a verification document; return its content type."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        content_type = open_image(upload).content_type
    except ValidationError as exc:
        if exc.code in {"not_an_image", "unsupported_format"}:
            raise ValidationError(
                _("Documents must be a PDF or a JPEG, PNG or WebP image."),
                code="unsupported_document",
            ) from exc
        raise
    upload.seek(0)
    return content_type


# Rates ---------------------------------------------------------------------------------------


class TooManyUploads(TryLater):
    """Over an upload rate (answered 429 with `Retry-After`, like DRF's throttles)."""

    def wait_detail(self, minutes: int) -> str:
        return _("Too many uploads for now. Please try again in %(minutes)s minutes.") % {
            "minutes": minutes
        }


class _UploadRate(SimpleRateThrottle):
    """DRF's scoped rate (DEFAULT_THROTTLE_RATES, counted in the shared cache) for one key."""

    def __init__(self, scope: str, ident: object) -> None:
        self.scope = scope
        self.ident = ident
        super().__init__()

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(str(self.scope))  # read at call time
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def upload_rate_check(*, user_id: int | None, cooperative_id: int | None = None) -> None:
    """Count one uploaded file for its uploader (scope `uploads`) and for the cooperative it is
    for (`uploads_cooperative`), before any of it is decoded; TooManyUploads when either is over
    its rate. Services call it once they have authorised the upload, so nobody can spend a
    cooperative's budget but its own managers."""
    for scope, ident in (("uploads", user_id), ("uploads_cooperative", cooperative_id)):
        if ident is None:
            continue
        rate = _UploadRate(scope, ident)
        if not rate.allow_request(None, None):  # type: ignore[arg-type]
            raise TooManyUploads(retry_after=max(1, math.ceil(rate.wait() or 1)))
