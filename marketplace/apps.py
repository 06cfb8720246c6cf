from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from marketplace.search import register_sqlite_functions

        # Infrastructure, not a business flow: SQLite learns the accent-folding SQL function.
        connection_created.connect(register_sqlite_functions, dispatch_uid="minga_sqlite_fold")

        from django.db.models.signals import post_delete, post_migrate, post_save

        from cooperatives.models import Cooperative
        from marketplace import cards, catalogue_version
        from marketplace.models import Category, Listing, ListingImage

        # Stored cards (marketplace/cards.py): a save empties the listing's card; rebuild it
        # after the commit. Connected before the version bump below, so the rebuild runs first.
        post_save.connect(cards.stale_on_save, sender=Listing, dispatch_uid="minga_card_listing")
        for signal in (post_save, post_delete):
            signal.connect(
                cards.stale_on_image,
                sender=ListingImage,
                dispatch_uid=f"minga_card_image_{signal is post_save}",
            )

        # Any saved or deleted row a catalogue reader sees makes cached catalogue pages stale.
        # (Bulk updates of these tables call catalogue_version.changed() themselves.)
        for model in (Listing, ListingImage, Category, Cooperative):
            for signal in (post_save, post_delete):
                signal.connect(
                    catalogue_version.changed,
                    sender=model,
                    dispatch_uid=f"minga_catalogue_version_{signal is post_save}_{model.__name__}",
                )
        # A deploy runs migrate (tools/docker-entrypoint.sh): new code may render the same data
        # differently, so copies cached by the old code must not be served.
        post_migrate.connect(
            catalogue_version.bump_after_migrate, sender=self, dispatch_uid="minga_catalogue_deploy"
        )
