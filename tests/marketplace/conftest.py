"""Helpers for catalogue tests: categories, listings in every status, images made by Pillow."""

import io

import pytest
from PIL import Image

from marketplace.models import Category
from tests.factories import CategoryFactory, ListingFactory


def image_bytes(
    size: tuple[int, int] = (800, 600),
    fmt: str = "JPEG",
    color: tuple[int, int, int] = (200, 80, 40),
    **save_args,  # type: ignore[no-untyped-def]
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_args)
    return buffer.getvalue()


@pytest.fixture
def food(db) -> Category:  # type: ignore[no-untyped-def]
    """A two-level branch of its own, so tests do not depend on the default taxonomy."""
    return CategoryFactory(name="Test food", slug="test-food", path="/test-food/")


@pytest.fixture
def coffee(food) -> Category:  # type: ignore[no-untyped-def]
    return CategoryFactory(
        name="Test coffee", slug="test-coffee", parent=food, path="/test-food/test-coffee/"
    )


@pytest.fixture
def textiles(db) -> Category:  # type: ignore[no-untyped-def]
    return CategoryFactory(name="Test textiles", slug="test-textiles", path="/test-textiles/")


@pytest.fixture
def published(seller_coop, coffee):  # type: ignore[no-untyped-def]
    return ListingFactory(cooperative=seller_coop, category=coffee, title="Café orgánico de altura")


@pytest.fixture
def draft(seller_coop, coffee):  # type: ignore[no-untyped-def]
    return ListingFactory(
        cooperative=seller_coop,
        category=coffee,
        title="Té verde",
        status="draft",
        published_at=None,
    )
