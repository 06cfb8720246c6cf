"""Writes of the category tree: the materialised path follows the parent and the slug."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from marketplace import catalogue_version
from marketplace.models import Category


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category, computing its path from its parent; moving or renaming a category
    rewrites the paths of its whole subtree in one statement."""
    old_path = None
    if category.pk:
        old_path = (
            Category.objects.select_for_update()
            .filter(pk=category.pk)
            .values_list("path", flat=True)
            .first()
        )
    parent = category.parent
    if old_path and parent is not None and parent.path.startswith(old_path):
        raise ValidationError({"parent": [_("A category cannot be placed inside itself.")]})
    category.path = f"{parent.path if parent else '/'}{category.slug}/"
    category.full_clean(exclude=["path"])
    category.save()
    if old_path and old_path != category.path:
        Category.objects.filter(path__startswith=old_path).exclude(pk=category.pk).update(
            path=Concat(Value(category.path), Substr("path", len(old_path) + 1))
        )
        catalogue_version.changed()
    return category
