"""A cooperative's data across the apps: the owners' export (docs/peoples-data.md)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cooperatives import permissions
from cooperatives.models import Cooperative
from cooperatives.services import cooperative_export_records
from core.errors import NotPermitted
from marketplace.selectors import listings_export_for_cooperative
from orders.selectors import orders_export_for_cooperative


def cooperative_export(*, cooperative: Cooperative, actor: User) -> dict[str, Any]:
    """Everything Minga holds about a cooperative, for its owners: profile, members,
    invitations, verification requests, listings, orders and invoices (as JSON-ready values)."""
    if not permissions.can_export_cooperative(actor, cooperative):
        raise NotPermitted(_("Only owners export the cooperative's data."))
    return {
        "format": "minga-cooperative-export/1",
        "exported_at": timezone.now(),
        **cooperative_export_records(cooperative=cooperative),
        **listings_export_for_cooperative(cooperative=cooperative),
        **orders_export_for_cooperative(cooperative=cooperative),
    }
