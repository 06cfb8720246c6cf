"""All of this app's migrations up to 2026-12-07 in one (docs/architecture.md, "Duplication").

`replaces` names the old files: a database that applied them all counts this one as applied,
and a later migration that depends on an old name depends on this one."""

import core.text
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import marketplace.models
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models
import cooperatives.models
from django.db import migrations
import django.contrib.postgres.operations
import django.db.migrations.operations.special


# Default categories (frozen: categories with the same slug are left alone).
TAXONOMY = [
    ("food", "Food and agriculture", "Alimentos y agricultura", "Alimentos e agricultura", [
        ("coffee-tea-yerba", "Coffee, tea and yerba mate", "Café, té y yerba mate", "Café, chá e erva-mate"),
        ("fruit-vegetables", "Fruit and vegetables", "Frutas y verduras", "Frutas e verduras"),
        ("grains-flour", "Grains, legumes and flour", "Granos, legumbres y harinas", "Grãos, leguminosas e farinhas"),
        ("dairy-eggs", "Dairy and eggs", "Lácteos y huevos", "Laticínios e ovos"),
        ("meat-fish", "Meat and fish", "Carnes y pescados", "Carnes e peixes"),
        ("bakery-pasta", "Bakery and pasta", "Panadería y pastas", "Padaria e massas"),
        ("preserves-honey", "Preserves, honey and sweets", "Conservas, miel y dulces", "Conservas, mel e doces"),
        ("beverages", "Beverages", "Bebidas", "Bebidas"),
        ("seeds-farm-inputs", "Seeds and farm inputs", "Semillas e insumos agrícolas", "Sementes e insumos agrícolas"),
    ]),
    ("textiles", "Textiles and clothing", "Textiles y vestimenta", "Têxteis e vestuário", [
        ("clothing", "Clothing", "Ropa", "Roupas"),
        ("workwear", "Workwear and uniforms", "Ropa de trabajo y uniformes", "Roupas de trabalho e uniformes"),
        ("fabrics-yarn", "Fabrics and yarn", "Telas e hilados", "Tecidos e fios"),
        ("home-textiles", "Home textiles", "Textiles para el hogar", "Têxteis para o lar"),
        ("bags-accessories", "Bags and accessories", "Bolsos y accesorios", "Bolsas e acessórios"),
    ]),
    ("printing", "Printing and publishing", "Imprenta y editorial", "Gráfica e editorial", [
        ("books", "Books and publications", "Libros y publicaciones", "Livros e publicações"),
        ("commercial-printing", "Commercial printing", "Impresión comercial", "Impressão comercial"),
        ("packaging-labels", "Packaging and labels", "Envases y etiquetas", "Embalagens e rótulos"),
        ("graphic-design", "Graphic design", "Diseño gráfico", "Design gráfico"),
    ]),
    ("metalwork", "Metalwork and machinery", "Metalurgia y maquinaria", "Metalurgia e maquinário", [
        ("metal-fabrication", "Metal parts and fabrication", "Piezas y estructuras metálicas", "Peças e estruturas metálicas"),
        ("machinery-tools", "Machinery and tools", "Maquinaria y herramientas", "Máquinas e ferramentas"),
        ("repair-maintenance", "Repair and maintenance", "Reparación y mantenimiento", "Reparo e manutenção"),
    ]),
    ("construction", "Construction", "Construcción", "Construção", [
        ("building-materials", "Building materials", "Materiales de construcción", "Materiais de construção"),
        ("building-works", "Building and renovation", "Obras y reformas", "Obras e reformas"),
        ("installations", "Electrical and plumbing work", "Instalaciones eléctricas y sanitarias", "Instalações elétricas e hidráulicas"),
    ]),
    ("furniture", "Furniture and woodwork", "Muebles y carpintería", "Móveis e marcenaria", [
        ("home-furniture", "Home furniture", "Muebles para el hogar", "Móveis para casa"),
        ("office-school-furniture", "Office and school furniture", "Mobiliario de oficina y escolar", "Móveis para escritório e escola"),
        ("custom-woodwork", "Joinery and custom woodwork", "Carpintería a medida", "Marcenaria sob medida"),
    ]),
    ("cleaning-care", "Cleaning and care services", "Limpieza y cuidados", "Limpeza e cuidados", [
        ("cleaning-services", "Cleaning services", "Servicios de limpieza", "Serviços de limpeza"),
        ("cleaning-products", "Cleaning and hygiene products", "Productos de limpieza e higiene", "Produtos de limpeza e higiene"),
        ("care-services", "Care for people", "Cuidado de personas", "Cuidado de pessoas"),
    ]),
    ("logistics", "Logistics and transport", "Logística y transporte", "Logística e transporte", [
        ("freight", "Freight and distribution", "Fletes y distribución", "Fretes e distribuição"),
        ("courier", "Courier and last mile", "Mensajería y última milla", "Entregas e última milha"),
        ("storage", "Storage", "Almacenamiento", "Armazenagem"),
    ]),
    ("software", "Software and digital services", "Software y servicios digitales", "Software e serviços digitais", [
        ("software-development", "Software development", "Desarrollo de software", "Desenvolvimento de software"),
        ("web-design", "Websites and digital design", "Sitios web y diseño digital", "Sites e design digital"),
        ("it-support-hosting", "IT support and hosting", "Soporte informático y hosting", "Suporte de TI e hospedagem"),
    ]),
    ("education", "Education and training", "Educación y formación", "Educação e formação", [
        ("courses-workshops", "Courses and workshops", "Cursos y talleres", "Cursos e oficinas"),
        ("cooperative-consulting", "Cooperative consulting", "Asesoría cooperativa", "Assessoria cooperativa"),
        ("translation", "Translation and interpreting", "Traducción e interpretación", "Tradução e interpretação"),
    ]),
    ("hospitality", "Hospitality", "Hotelería y gastronomía", "Hotelaria e gastronomia", [
        ("catering", "Catering", "Catering y viandas", "Bufê e marmitas"),
        ("accommodation", "Accommodation", "Alojamiento", "Hospedagem"),
        ("events-venues", "Events and venues", "Eventos y salones", "Eventos e espaços"),
    ]),
    ("recycling", "Recycling", "Reciclaje", "Reciclagem", [
        ("recycled-materials", "Recycled materials", "Materiales reciclados", "Materiais reciclados"),
        ("waste-collection", "Waste collection", "Recolección de residuos", "Coleta de resíduos"),
        ("upcycled-goods", "Upcycled goods", "Productos reutilizados", "Produtos reaproveitados"),
    ]),
    ("energy", "Energy", "Energía", "Energia", [
        ("solar-energy", "Solar energy", "Energía solar", "Energia solar"),
        ("energy-efficiency", "Energy efficiency", "Eficiencia energética", "Eficiência energética"),
    ]),
    ("health", "Health", "Salud", "Saúde", [
        ("health-services", "Health services", "Servicios de salud", "Serviços de saúde"),
        ("natural-products", "Natural and medicinal products", "Productos naturales y medicinales", "Produtos naturais e medicinais"),
    ]),
    ("crafts", "Crafts and art", "Artesanías y arte", "Artesanato e arte", [
        ("handicrafts", "Handicrafts", "Artesanías", "Artesanato"),
        ("ceramics", "Ceramics and pottery", "Cerámica", "Cerâmica"),
    ]),
    ("other", "Other", "Otros", "Outros", []),
]


def categories_load(apps, schema_editor):
    Category = apps.get_model("marketplace", "Category")
    for position, (slug, name, name_es, name_pt_br, children) in enumerate(TAXONOMY):
        parent, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_es": name_es,
                "name_pt_br": name_pt_br,
                "path": f"/{slug}/",
                "position": position,
            },
        )
        for child_position, (child_slug, child_name, child_es, child_pt) in enumerate(children):
            Category.objects.get_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "name_es": child_es,
                    "name_pt_br": child_pt,
                    "parent": parent,
                    "path": f"{parent.path}{child_slug}/",
                    "position": child_position,
                },
            )


def categories_unload(apps, schema_editor):
    Category = apps.get_model("marketplace", "Category")
    Listing = apps.get_model("marketplace", "Listing")
    slugs = [slug for slug, *_rest, children in TAXONOMY] + [
        child[0] for *_head, children in TAXONOMY for child in children
    ]
    used = set(Listing.objects.values_list("category__slug", flat=True).distinct())
    # Children first: parents are protected while they have children.
    for category in Category.objects.filter(slug__in=slugs).order_by("-path"):
        if category.slug not in used and not category.children.exists():
            category.delete()


# Full-text search on PostgreSQL (docs/catalogue.md); nothing on other databases.
SEARCH_SQL = r"""
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


SEARCH_DROP_SQL = r"""
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


def search_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_SQL, params=None)


def search_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_DROP_SQL, params=None)


# The dictionary of title words that search corrects typos against (PostgreSQL only).
SEARCH_WORDS_SQL = r"""
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


SEARCH_WORDS_DROP_SQL = r"""
DROP TRIGGER IF EXISTS minga_search_words_update ON marketplace_listing;
DROP TRIGGER IF EXISTS minga_search_words_insert ON marketplace_listing;
DROP FUNCTION IF EXISTS minga_search_words_trigger();
DROP TABLE IF EXISTS marketplace_search_word;
"""


def search_words_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_WORDS_SQL, params=None)


def search_words_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_WORDS_DROP_SQL, params=None)


def create_the_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("marketplace", "CatalogueVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('marketplace', '0001_initial'),
        ('marketplace', '0002_listing_event'),
        ('marketplace', '0003_default_categories'),
        ('marketplace', '0004_search'),
        ('marketplace', '0005_browse_indexes'),
        ('marketplace', '0006_search_words'),
        ('marketplace', '0007_catalogue_version'),
        ('marketplace', '0008_one_line_text'),
    ]

    dependencies = [
        ('cooperatives', '0001_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogueVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveBigIntegerField(default=0)),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, validators=[core.text.OneLineValidator()])),
                ('name_es', models.CharField(blank=True, max_length=120, validators=[core.text.OneLineValidator()])),
                ('name_pt_br', models.CharField(blank=True, max_length=120, validators=[core.text.OneLineValidator()])),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('path', models.CharField(editable=False, max_length=500, unique=True)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='marketplace.category')),
            ],
            options={
                'verbose_name_plural': 'categories',
                'ordering': ['path'],
            },
        ),
        migrations.CreateModel(
            name='Listing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('product', 'Product'), ('service', 'Service')], max_length=16)),
                ('title', models.CharField(max_length=200, validators=[core.text.OneLineValidator()])),
                ('description', models.TextField(blank=True, max_length=10000, validators=[core.text.MultiLineValidator()])),
                ('language', models.CharField(blank=True, help_text='Language of title and description.', max_length=10)),
                ('sku', models.CharField(blank=True, help_text="The seller's own reference.", max_length=64, validators=[core.text.OneLineValidator()])),
                ('price_amount', models.BigIntegerField(help_text='Price per unit in minor units of the currency.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1000000000000)])),
                ('currency', models.CharField(max_length=3)),
                ('unit', models.CharField(choices=[('piece', 'piece'), ('kg', 'kg'), ('g', 'g'), ('litre', 'litre'), ('m', 'm'), ('m2', 'm²'), ('m3', 'm³'), ('hour', 'hour'), ('day', 'day'), ('month', 'month'), ('lot', 'lot')], default='piece', max_length=8)),
                ('min_order_quantity', models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000000000)])),
                ('stock', models.PositiveIntegerField(blank=True, help_text='Units available now (capacity for services); empty means made to order.', null=True, validators=[django.core.validators.MaxValueValidator(1000000000)])),
                ('lead_time_days', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(365)])),
                ('delivers_pickup', models.BooleanField(default=False)),
                ('delivers_shipping', models.BooleanField(default=False)),
                ('delivers_on_site', models.BooleanField(default=False)),
                ('delivers_remote', models.BooleanField(default=False)),
                ('countries_served', models.JSONField(blank=True, default=list)),
                ('regions_served', models.CharField(blank=True, max_length=300, validators=[core.text.OneLineValidator()])),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('pending_review', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected'), ('suspended', 'Suspended'), ('archived', 'Archived')], default='draft', max_length=16)),
                ('status_reason', models.TextField(blank=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='listings', to='marketplace.category')),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='listings', to='cooperatives.cooperative')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-published_at', '-id'],
                'indexes': [models.Index(fields=['status', '-published_at', '-id'], name='listing_status_published'), models.Index(fields=['status', 'price_amount'], name='listing_status_price'), models.Index(fields=['cooperative', 'status'], name='listing_coop_status'), models.Index(fields=['category', 'status'], name='listing_category_status'), models.Index(condition=models.Q(('status', 'published')), fields=['-published_at', '-id'], include=('category_id', 'cooperative_id', 'kind', 'price_amount', 'currency', 'stock', 'delivers_pickup', 'delivers_shipping', 'delivers_on_site', 'delivers_remote'), name='listing_browse_newest'), models.Index(condition=models.Q(('status', 'published')), fields=['category', '-published_at', '-id'], include=('cooperative_id', 'kind', 'price_amount', 'currency', 'stock', 'delivers_pickup', 'delivers_shipping', 'delivers_on_site', 'delivers_remote'), name='listing_browse_category'), models.Index(condition=models.Q(('status', 'published')), fields=['currency', 'price_amount', 'id'], include=('category_id', 'cooperative_id', 'kind', 'stock', 'published_at', 'delivers_pickup', 'delivers_shipping', 'delivers_on_site', 'delivers_remote'), name='listing_browse_price')],
                'constraints': [models.CheckConstraint(condition=models.Q(('price_amount__gte', 0), ('price_amount__lte', 1000000000000)), name='listing_price_in_range'), models.CheckConstraint(condition=models.Q(('stock__isnull', True), ('stock__gte', 0), _connector='OR'), name='listing_stock_not_negative'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'pending_review', 'published', 'rejected', 'suspended', 'archived'])), name='listing_status_valid'), models.UniqueConstraint(condition=models.Q(('sku', ''), _negated=True), fields=('cooperative', 'sku'), name='listing_sku_unique_per_cooperative')],
            },
        ),
        migrations.CreateModel(
            name='ListingEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=32)),
                ('from_status', models.CharField(blank=True, max_length=16)),
                ('to_status', models.CharField(choices=[('draft', 'Draft'), ('pending_review', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected'), ('suspended', 'Suspended'), ('archived', 'Archived')], max_length=16)),
                ('reason', models.TextField(blank=True)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='marketplace.listing')),
            ],
            options={
                'ordering': ['listing_id', 'at', 'id'],
                'indexes': [models.Index(fields=['listing', 'at'], name='listing_event_listing_at')],
            },
        ),
        migrations.CreateModel(
            name='ListingImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.ImageField(height_field='height', upload_to=marketplace.models.listing_image_path, width_field='width')),
                ('thumbnail_small', models.ImageField(blank=True, upload_to=marketplace.models.listing_image_path)),
                ('thumbnail_large', models.ImageField(blank=True, upload_to=marketplace.models.listing_image_path)),
                ('width', models.PositiveIntegerField(default=0)),
                ('height', models.PositiveIntegerField(default=0)),
                ('alt_text', models.CharField(blank=True, max_length=300, validators=[core.text.OneLineValidator()])),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('listing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='images', to='marketplace.listing')),
            ],
            options={
                'ordering': ['listing_id', 'position', 'id'],
            },
        ),
        migrations.RunPython(
            code=categories_load,
            reverse_code=categories_unload,
        ),
        django.contrib.postgres.operations.UnaccentExtension(
        ),
        django.contrib.postgres.operations.TrigramExtension(
        ),
        migrations.RunPython(
            code=search_create,
            reverse_code=search_drop,
        ),
        migrations.RunPython(
            code=search_words_create,
            reverse_code=search_words_drop,
        ),
        migrations.RunPython(
            code=create_the_row,
            reverse_code=django.db.migrations.operations.special.RunPython.noop,
        ),
        migrations.CreateModel(
            name='CatalogueImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=cooperatives.models.private_storage, upload_to=marketplace.models.catalogue_import_path)),
                ('language', models.CharField(max_length=16)),
                ('progress_token', models.CharField(blank=True, db_index=True, max_length=64)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=16)),
                ('created', models.PositiveIntegerField(default=0)),
                ('updated', models.PositiveIntegerField(default=0)),
                ('unchanged', models.PositiveIntegerField(default=0)),
                ('sent_back_to_review', models.PositiveIntegerField(default=0)),
                ('error_code', models.CharField(blank=True, max_length=40)),
                ('error_message', models.TextField(blank=True)),
                ('row_errors', models.JSONField(blank=True, default=list)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='catalogue_imports', to='cooperatives.cooperative')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='listing',
            name='card',
            field=models.TextField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='listing',
            name='credit_share_bps',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(10000)]),
        ),
    ]
