"""Typo tolerance that stays fast on PostgreSQL: a dictionary of the words of listing titles
(unaccented, lower-case) with a trigram index. When a search matches nothing, each word is
replaced by its closest dictionary words ("organik" → organico, organic…) and the full-text
search runs again. Comparing a word with a few thousand dictionary words is much cheaper than
comparing it with every title. Kept up to date by statement-level triggers (one INSERT per
statement, so bulk inserts stay fast). Nothing on other databases."""

from django.db import migrations

FORWARD_SQL = r"""
CREATE TABLE IF NOT EXISTS marketplace_search_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS search_word_trgm
    ON marketplace_search_word USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION minga_search_words_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Sorted, so two transactions adding the same words never wait on each other in a cycle.
    INSERT INTO marketplace_search_word (word)
    SELECT DISTINCT lexeme
      FROM new_rows, unnest(tsvector_to_array(to_tsvector('minga_simple', new_rows.title))) AS lexeme
     WHERE length(lexeme) BETWEEN 3 AND 40 AND lexeme ~ '[a-z]'
     ORDER BY lexeme
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS minga_search_words_insert ON marketplace_listing;
CREATE TRIGGER minga_search_words_insert
    AFTER INSERT ON marketplace_listing
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION minga_search_words_trigger();

DROP TRIGGER IF EXISTS minga_search_words_update ON marketplace_listing;
CREATE TRIGGER minga_search_words_update
    AFTER UPDATE ON marketplace_listing
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION minga_search_words_trigger();

INSERT INTO marketplace_search_word (word)
SELECT DISTINCT lexeme
  FROM marketplace_listing, unnest(tsvector_to_array(to_tsvector('minga_simple', title))) AS lexeme
 WHERE length(lexeme) BETWEEN 3 AND 40 AND lexeme ~ '[a-z]'
ON CONFLICT DO NOTHING;
"""

BACKWARD_SQL = r"""
DROP TRIGGER IF EXISTS minga_search_words_update ON marketplace_listing;
DROP TRIGGER IF EXISTS minga_search_words_insert ON marketplace_listing;
DROP FUNCTION IF EXISTS minga_search_words_trigger();
DROP TABLE IF EXISTS marketplace_search_word;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0005_browse_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
