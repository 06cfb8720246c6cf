"""Load the demo: each app that has a `demo` module with `seed(out) -> list[str]` adds its part,
in dependency order. Every part is idempotent, so running the command twice changes nothing."""

import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "cooperatives.demo",
    "marketplace.demo",
    "moderation.demo",
    "orders.demo",
    "orders.demo_quotes",
    "credit.demo",
    "clearing.demo",
]


class Command(BaseCommand):
    help = "Load demo cooperatives, members, listings and orders (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        notes: list[str] = []
        for name in DEMO_MODULES:
            app = name.split(".")[0]
            if importlib.util.find_spec(app) is None or importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            with transaction.atomic():
                notes.extend(module.seed(self.stdout))
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        for line in notes:
            self.stdout.write(line)
