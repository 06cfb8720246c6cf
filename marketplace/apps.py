from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from marketplace.search import register_sqlite_functions

        # Infrastructure, not a business flow: SQLite learns the accent-folding SQL function.
        connection_created.connect(register_sqlite_functions, dispatch_uid="minga_sqlite_fold")
