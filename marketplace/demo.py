"""Demo catalogue: at least 300 listings, products and services, across the cooperatives that
exist, priced in each seller's currency, most of them published, with pictures drawn by Pillow.
Idempotent: listings are recognised by their `DEMO-` SKU, so a second run creates nothing."""

import math
import random
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from cooperatives.models import Cooperative
from core.uploads import EncodedImage
from marketplace import services
from marketplace.catalogue_words import (
    DESCRIPTIONS,
    ITEMS,
    PLACES,
    PRODUCT_VARIANTS,
    SECTOR_CATEGORY,
    SERVICE_VARIANTS,
    Item,
    currency_for,
    language_for,
    local_price,
)
from marketplace.models import Category, Listing
from marketplace.services.images import encode_listing_image, store_listing_image

TARGET_LISTINGS = 300
MIN_PER_COOPERATIVE = 8
SKU_PREFIX = "DEMO-"
PALETTE = [
    (46, 125, 50),
    (0, 105, 92),
    (21, 101, 192),
    (106, 27, 154),
    (173, 20, 87),
    (230, 81, 0),
    (121, 85, 72),
    (69, 90, 100),
    (251, 192, 45),
    (198, 40, 40),
]


def _draw(seed: int) -> Image.Image:
    """A small abstract picture: a two-colour background with a few shapes."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # made-up pictures, not secrets
    base, accent = rng.sample(PALETTE, 2)
    image = Image.new("RGB", (480, 360), base)
    draw = ImageDraw.Draw(image)
    for row in range(0, 360, 6):
        shade = tuple(min(255, channel + row // 8) for channel in base)
        draw.rectangle((0, row, 480, row + 6), fill=shade)
    for _ in range(rng.randint(3, 6)):
        x, y, r = rng.randint(40, 440), rng.randint(40, 320), rng.randint(20, 90)
        shape = rng.choice(["ellipse", "rectangle"])
        getattr(draw, shape)((x - r, y - r, x + r, y + r), fill=accent, outline=(255, 255, 255))
    return image


def _pictures(count: int) -> list[tuple[bytes, bytes, bytes, int, int]]:
    """Draw and encode a few pictures once; listings share their bytes (each gets its own files)."""
    pictures = []
    for seed in range(count):
        full, large, small = encode_listing_image(_draw(seed))
        pictures.append(
            (
                full.content.read(),
                large.content.read(),
                small.content.read(),
                full.width,
                full.height,
            )
        )
    return pictures


def _encoded(picture: tuple[bytes, bytes, bytes, int, int]) -> Any:
    full, large, small, width, height = picture
    return tuple(EncodedImage(ContentFile(data), width, height) for data in (full, large, small))


def _items_for(cooperative: Cooperative, categories: dict[str, Category]) -> list[Item]:
    root = SECTOR_CATEGORY.get(cooperative.sector)
    own = [
        item for item in ITEMS if root and categories[item.category].path.startswith(f"/{root}/")
    ]
    return own or list(ITEMS)


def made_up_title(item: Item, language: str, variant: int, place: str = "") -> str:
    """A made-up listing's title: the item's name in `language`, one of the variants of its kind
    (`variant` counts round them) and, when given, a place."""
    variants = (PRODUCT_VARIANTS if item.kind == "product" else SERVICE_VARIANTS)[language]
    parts = (item.title(language), variants[variant % len(variants)], place)
    return " ".join(part for part in parts if part)[:200]


def _fields(item: Item, cooperative: Cooperative, rng: random.Random, index: int) -> dict[str, Any]:
    language = language_for(cooperative.country)
    place = rng.choice(PLACES.get(cooperative.country, [""]))
    is_placed = item.kind == "product" and bool(place) and rng.random() < 0.5
    currency = currency_for(cooperative.country)
    modes = (
        ["remote"] if item.category in {"software-development", "web-design", "translation"} else []
    )
    modes = modes or rng.sample(["pickup", "shipping", "on_site"], rng.randint(1, 2))
    return {
        "kind": item.kind,
        "title": made_up_title(item, language, index, place if is_placed else ""),
        "description": " ".join(rng.sample(DESCRIPTIONS[language], 2)),
        "language": language,
        "category": item.category,
        "sku": f"{SKU_PREFIX}{index:04d}",
        "price_amount": local_price(item.usd_price, currency, rng.uniform(0.7, 1.4)),
        "currency": currency,
        "unit": item.unit,
        "min_order_quantity": rng.choice([1, 1, 1, 2, 5, 10]),
        "stock": None if item.kind == "service" or rng.random() < 0.3 else rng.randint(0, 500),
        "lead_time_days": rng.choice([0, 1, 2, 3, 7, 14]),
        "delivery_modes": modes,
        "countries_served": [cooperative.country],
    }


def seed(out: Any) -> list[str]:
    cooperatives = list(
        Cooperative.objects.exclude(slug__startswith="bulk-")
        .exclude(verification_status="suspended")
        .order_by("pk")
    )
    if not cooperatives:
        return ["Catalogue: no cooperatives yet, so no demo listings."]
    categories = {category.slug: category for category in Category.objects.all()}
    if not all(item.category in categories for item in ITEMS):
        return ["Catalogue: the default categories are missing (run migrate); no demo listings."]
    per_cooperative = max(MIN_PER_COOPERATIVE, math.ceil(TARGET_LISTINGS / len(cooperatives)))
    existing = set(
        Listing.objects.filter(sku__startswith=SKU_PREFIX).values_list("cooperative_id", "sku")
    )
    pictures = _pictures(10)
    created = 0
    for cooperative in cooperatives:
        rng = random.Random(f"minga-demo-{cooperative.slug}")  # noqa: S311  # nosec B311  # repeatable demo
        items = _items_for(cooperative, categories)
        for index in range(per_cooperative):
            fields = _fields(items[index % len(items)], cooperative, rng, index)
            fate = rng.random()
            if (cooperative.pk, fields["sku"]) in existing:
                continue
            listing = services.listing_create(cooperative=cooperative, actor=None, **fields)
            if fate < 0.85:
                services.listing_transition(listing=listing, action="publish_directly", actor=None)
            elif fate < 0.93:
                services.listing_transition(listing=listing, action="submit_for_review", actor=None)
            for position in range(0 if fate > 0.9 else rng.choice([1, 1, 2])):
                store_listing_image(
                    listing,
                    _encoded(pictures[rng.randrange(len(pictures))]),
                    alt_text=fields["title"],
                    position=position,
                )
            created += 1
    total = Listing.objects.filter(sku__startswith=SKU_PREFIX).count()
    return [
        f"Catalogue: {created} demo listings created, {total} in all across "
        f"{len(cooperatives)} cooperatives."
    ]
