"""Uploaded files are judged by their content, size-limited and re-encoded before they are stored."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


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


def open_image(upload: UploadedFile) -> ValidatedImage:
    """Open an upload as an image, refusing anything that is not JPEG, PNG or WebP by content,
    anything over the pixel limit (decompression bombs included) and truncated files."""
    check_size(upload)
    upload.seek(0)
    data = upload.read()
    max_pixels = settings.MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
        except (UnidentifiedImageError, OSError) as exc:
            raise ValidationError(
                _("The file is not an image in JPEG, PNG or WebP format."), code="not_an_image"
            ) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("The image has too many pixels; the limit is %(max_pixels)s.")
                % {"max_pixels": max_pixels},
                code="too_many_pixels",
            ) from exc
        if probe.format not in ACCEPTED_IMAGE_FORMATS:
            raise ValidationError(
                _("Images must be JPEG, PNG or WebP; this one is %(value)s.")
                % {"value": probe.format or "unknown"},
                code="unsupported_format",
            )
        width, height = probe.size
        if width * height > max_pixels:
            raise ValidationError(
                _("The image is %(width)s×%(height)s pixels; the limit is %(max_pixels)s pixels.")
                % {"width": width, "height": height, "max_pixels": max_pixels},
                code="too_many_pixels",
            )
        try:
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ValidationError(
                _("The image is damaged or truncated."), code="damaged_image"
            ) from exc
    # Turn the pixels as the camera said, then forget every EXIF tag (GPS included).
    fmt = probe.format
    return ValidatedImage(ImageOps.exif_transpose(image), fmt)


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
