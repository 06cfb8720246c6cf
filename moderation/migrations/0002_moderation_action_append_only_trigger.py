"""On PostgreSQL the moderation log refuses UPDATE and DELETE in the database itself, so no
interface (admin, ORM, raw SQL, another program) can rewrite history. SQLite, the development
default, relies on the model's own refusal."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION moderation_action_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation_moderationaction is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER moderation_action_append_only
    BEFORE UPDATE OR DELETE ON moderation_moderationaction
    FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS moderation_action_append_only ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_action_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
