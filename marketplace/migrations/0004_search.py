"""Full-text and typo-tolerant search on PostgreSQL; nothing on other databases.

- extensions `unaccent` and `pg_trgm`;
- text search configurations `minga_simple|spanish|portuguese|english`: the built-in ones with
  unaccent in front, so "cafe" and "Café" are the same word;
- a PostgreSQL-only column `marketplace_listing.search_vector` (not a model field: Django never
  loads it) kept up to date by triggers: title weight A, description B, category names (with
  ancestors, in three languages) and seller name C; title and description are stemmed in the
  listing's language (titles also unstemmed);
- a GIN index on the vector (typos are handled by the word dictionary of migration 0006).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD_SQL = r"""
DO $$
DECLARE
    pair text[];
BEGIN
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
        ['minga_simple', 'simple', 'simple'],
        ['minga_spanish', 'spanish', 'spanish_stem'],
        ['minga_portuguese', 'portuguese', 'portuguese_stem'],
        ['minga_english', 'english', 'english_stem']
    ] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = pair[1]) THEN
            EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = pg_catalog.%I)', pair[1], pair[2]);
            EXECUTE format(
                'ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR hword, hword_part, word '
                'WITH public.unaccent, pg_catalog.%I', pair[1], pair[3]);
        END IF;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION minga_search_config(language text) RETURNS regconfig
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE
        WHEN language ILIKE 'es%' THEN 'minga_spanish'
        WHEN language ILIKE 'pt%' THEN 'minga_portuguese'
        WHEN language ILIKE 'en%' THEN 'minga_english'
        ELSE 'minga_simple'
    END::regconfig
    $$;

CREATE OR REPLACE FUNCTION minga_listing_vector(
    p_title text, p_description text, p_language text, p_category_id bigint, p_cooperative_id bigint
) RETURNS tsvector
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
DECLARE
    config regconfig := minga_search_config(p_language);
    context text;
    document tsvector;
BEGIN
    -- The category and its ancestors are the slugs of its path (unique slugs, indexed).
    SELECT concat_ws(' ', string_agg(concat_ws(' ', a.name, a.name_es, a.name_pt_br), ' '),
                     (SELECT co.name FROM cooperatives_cooperative co WHERE co.id = p_cooperative_id))
      INTO context
      FROM marketplace_category c
      JOIN marketplace_category a ON a.slug = ANY (string_to_array(btrim(c.path, '/'), '/'))
     WHERE c.id = p_category_id;
    document := setweight(to_tsvector(config, coalesce(p_title, '')), 'A')
             || setweight(to_tsvector(config, coalesce(p_description, '')), 'B');
    -- Titles also unstemmed, so a word in another language or a name still matches as typed.
    IF config <> 'minga_simple'::regconfig THEN
        document := document || setweight(to_tsvector('minga_simple', coalesce(p_title, '')), 'A');
    END IF;
    RETURN document || setweight(to_tsvector('minga_simple', coalesce(context, '')), 'C');
END $$;

ALTER TABLE marketplace_listing ADD COLUMN IF NOT EXISTS search_vector tsvector;
-- Finer statistics of the words: the planner then knows a rare word is rare, and answers
-- "does anything match?" from the GIN index instead of scanning the table hoping for a match.
ALTER TABLE marketplace_listing ALTER COLUMN search_vector SET STATISTICS 1000;

CREATE OR REPLACE FUNCTION minga_listing_search_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.search_vector := minga_listing_vector(
        NEW.title, NEW.description, NEW.language, NEW.category_id, NEW.cooperative_id);
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS minga_listing_search ON marketplace_listing;
CREATE TRIGGER minga_listing_search
    BEFORE INSERT OR UPDATE OF title, description, language, category_id, cooperative_id
    ON marketplace_listing
    FOR EACH ROW EXECUTE FUNCTION minga_listing_search_trigger();

-- Renaming a category (or moving it) or a cooperative changes the words its listings are found by.
CREATE OR REPLACE FUNCTION minga_category_search_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE marketplace_listing l
       SET search_vector = minga_listing_vector(
           l.title, l.description, l.language, l.category_id, l.cooperative_id)
     WHERE l.category_id IN (
           SELECT c.id FROM marketplace_category c
            WHERE starts_with(c.path, OLD.path) OR starts_with(c.path, NEW.path));
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS minga_category_search ON marketplace_category;
CREATE TRIGGER minga_category_search
    AFTER UPDATE OF name, name_es, name_pt_br, path ON marketplace_category
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_es IS DISTINCT FROM NEW.name_es
          OR OLD.name_pt_br IS DISTINCT FROM NEW.name_pt_br OR OLD.path IS DISTINCT FROM NEW.path)
    EXECUTE FUNCTION minga_category_search_trigger();

CREATE OR REPLACE FUNCTION minga_cooperative_search_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE marketplace_listing l
       SET search_vector = minga_listing_vector(
           l.title, l.description, l.language, l.category_id, l.cooperative_id)
     WHERE l.cooperative_id = NEW.id;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS minga_cooperative_search ON cooperatives_cooperative;
CREATE TRIGGER minga_cooperative_search
    AFTER UPDATE OF name ON cooperatives_cooperative
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION minga_cooperative_search_trigger();

UPDATE marketplace_listing
   SET search_vector = minga_listing_vector(title, description, language, category_id, cooperative_id);

CREATE INDEX IF NOT EXISTS listing_search_vector ON marketplace_listing USING gin (search_vector);
"""

BACKWARD_SQL = r"""
DROP TRIGGER IF EXISTS minga_cooperative_search ON cooperatives_cooperative;
DROP TRIGGER IF EXISTS minga_category_search ON marketplace_category;
DROP TRIGGER IF EXISTS minga_listing_search ON marketplace_listing;
DROP FUNCTION IF EXISTS minga_cooperative_search_trigger();
DROP FUNCTION IF EXISTS minga_category_search_trigger();
DROP FUNCTION IF EXISTS minga_listing_search_trigger();
DROP INDEX IF EXISTS listing_search_vector;
ALTER TABLE marketplace_listing DROP COLUMN IF EXISTS search_vector;
DROP FUNCTION IF EXISTS minga_listing_vector(text, text, text, bigint, bigint);
DROP FUNCTION IF EXISTS minga_search_config(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS minga_english;
DROP TEXT SEARCH CONFIGURATION IF EXISTS minga_portuguese;
DROP TEXT SEARCH CONFIGURATION IF EXISTS minga_spanish;
DROP TEXT SEARCH CONFIGURATION IF EXISTS minga_simple;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0003_default_categories"),
        ("cooperatives", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
