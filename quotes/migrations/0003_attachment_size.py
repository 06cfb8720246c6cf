from django.db import migrations, models


def fill_sizes(apps, schema_editor):
    """Each existing file's size, read once from the storage; a file gone from it stays null."""
    RfqAttachment = apps.get_model("quotes", "RfqAttachment")
    for attachment in RfqAttachment.objects.filter(size__isnull=True).iterator():
        try:
            size = attachment.file.size
        except (OSError, ValueError):  # missing from the storage, or no file name
            continue
        RfqAttachment.objects.filter(pk=attachment.pk).update(size=size)


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0002_attachments_private"),
    ]

    operations = [
        migrations.AddField(
            model_name="rfqattachment",
            name="size",
            field=models.PositiveBigIntegerField(
                blank=True,
                help_text="In bytes; null when the file was gone when it was read.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_sizes, migrations.RunPython.noop),
    ]
