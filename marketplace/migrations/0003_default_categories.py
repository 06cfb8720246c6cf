"""The default taxonomy for trade between cooperatives: two levels, in English, Spanish and
Brazilian Portuguese. The data is frozen here (not imported) so later edits do not rewrite history;
categories that already exist (same slug) are left as they are."""

from django.db import migrations

# (slug, name, name_es, name_pt_br, children)
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


def load(apps, schema_editor):
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


def unload(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_listing_event")]

    operations = [migrations.RunPython(load, unload)]
