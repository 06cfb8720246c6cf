"""Stored cards gained a fourth line, the cover the catalogue page shows (marketplace/cards.py):
cards written before it are emptied, and readers and `cards.rebuild_all` write them again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_squashed")]

    operations = [
        migrations.RunSQL(
            "UPDATE marketplace_listing SET card = NULL WHERE card IS NOT NULL",
            migrations.RunSQL.noop,
        )
    ]
