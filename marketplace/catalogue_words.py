"""Words for made-up but believable catalogues (the demo and `seed_bulk`), in es, pt-BR and en."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    category: str
    kind: str
    unit: str
    usd_price: float
    es: str
    pt: str
    en: str

    def title(self, language: str) -> str:
        return {"es": self.es, "pt-br": self.pt}.get(language, self.en)


P, S = "product", "service"
# fmt: off
ITEMS = [
    Item("coffee-tea-yerba", P, "kg", 12, "Yerba mate orgánica", "Erva-mate orgânica", "Organic yerba mate"),
    Item("coffee-tea-yerba", P, "kg", 18, "Café orgánico de altura", "Café orgânico de altitude", "High-grown organic coffee"),
    Item("coffee-tea-yerba", P, "piece", 6, "Té de hierbas serranas", "Chá de ervas da serra", "Mountain herb tea"),
    Item("fruit-vegetables", P, "kg", 2, "Tomates agroecológicos", "Tomates agroecológicos", "Agroecological tomatoes"),
    Item("fruit-vegetables", P, "lot", 15, "Bolsón de verduras de estación", "Cesta de verduras da estação", "Seasonal vegetable box"),
    Item("grains-flour", P, "kg", 3, "Harina integral molida a piedra", "Farinha integral moída na pedra", "Stone-ground wholemeal flour"),
    Item("grains-flour", P, "kg", 4, "Lentejas", "Lentilhas", "Lentils"),
    Item("dairy-eggs", P, "kg", 9, "Queso de campo", "Queijo colonial", "Farmhouse cheese"),
    Item("dairy-eggs", P, "lot", 4, "Huevos de gallinas libres", "Ovos caipiras", "Free-range eggs"),
    Item("meat-fish", P, "kg", 11, "Pescado de río fresco", "Peixe de rio fresco", "Fresh river fish"),
    Item("bakery-pasta", P, "kg", 5, "Fideos caseros", "Massa caseira", "Homemade pasta"),
    Item("bakery-pasta", P, "piece", 3, "Pan de masa madre", "Pão de fermentação natural", "Sourdough bread"),
    Item("preserves-honey", P, "piece", 7, "Miel de monte", "Mel silvestre", "Wildflower honey"),
    Item("preserves-honey", P, "piece", 5, "Dulce de leche artesanal", "Doce de leite artesanal", "Artisan dulce de leche"),
    Item("beverages", P, "litre", 8, "Vino malbec cooperativo", "Vinho malbec cooperativo", "Cooperative malbec wine"),
    Item("beverages", P, "litre", 3, "Jugo de manzana natural", "Suco de maçã natural", "Natural apple juice"),
    Item("seeds-farm-inputs", P, "kg", 6, "Semillas criollas de maíz", "Sementes crioulas de milho", "Heirloom maize seeds"),
    Item("clothing", P, "piece", 14, "Remera de algodón orgánico", "Camiseta de algodão orgânico", "Organic cotton T-shirt"),
    Item("workwear", P, "piece", 25, "Ropa de trabajo reforzada", "Uniforme de trabalho reforçado", "Reinforced workwear"),
    Item("fabrics-yarn", P, "m", 6, "Tela de lino", "Tecido de linho", "Linen fabric"),
    Item("fabrics-yarn", P, "kg", 20, "Hilado de lana de oveja", "Fio de lã de ovelha", "Sheep wool yarn"),
    Item("home-textiles", P, "piece", 30, "Manta tejida a mano", "Manta tecida à mão", "Hand-woven blanket"),
    Item("bags-accessories", P, "piece", 12, "Bolsa de tela reutilizable", "Sacola de pano reutilizável", "Reusable cloth bag"),
    Item("books", P, "piece", 15, "Libro de historia del cooperativismo", "Livro de história do cooperativismo", "Book on the history of cooperatives"),
    Item("commercial-printing", S, "lot", 80, "Impresión de folletos", "Impressão de folhetos", "Leaflet printing"),
    Item("packaging-labels", P, "lot", 60, "Etiquetas autoadhesivas", "Rótulos autoadesivos", "Self-adhesive labels"),
    Item("packaging-labels", P, "lot", 45, "Cajas de cartón corrugado", "Caixas de papelão ondulado", "Corrugated cardboard boxes"),
    Item("graphic-design", S, "hour", 25, "Diseño de identidad visual", "Design de identidade visual", "Brand identity design"),
    Item("metal-fabrication", P, "piece", 120, "Estanterías metálicas", "Estantes metálicas", "Steel shelving"),
    Item("machinery-tools", P, "piece", 300, "Prensa hidráulica", "Prensa hidráulica", "Hydraulic press"),
    Item("repair-maintenance", S, "hour", 20, "Mantenimiento de maquinaria", "Manutenção de máquinas", "Machinery maintenance"),
    Item("building-materials", P, "lot", 40, "Ladrillos ecológicos", "Tijolos ecológicos", "Eco bricks"),
    Item("building-works", S, "day", 90, "Reformas y albañilería", "Reformas e alvenaria", "Renovation and masonry"),
    Item("installations", S, "hour", 22, "Instalación eléctrica", "Instalação elétrica", "Electrical installation"),
    Item("home-furniture", P, "piece", 180, "Mesa de madera maciza", "Mesa de madeira maciça", "Solid wood table"),
    Item("office-school-furniture", P, "piece", 60, "Pupitre escolar", "Carteira escolar", "School desk"),
    Item("custom-woodwork", S, "day", 110, "Carpintería a medida", "Marcenaria sob medida", "Custom joinery"),
    Item("cleaning-services", S, "hour", 12, "Limpieza de oficinas", "Limpeza de escritórios", "Office cleaning"),
    Item("cleaning-products", P, "litre", 4, "Detergente biodegradable", "Detergente biodegradável", "Biodegradable detergent"),
    Item("care-services", S, "hour", 10, "Cuidado de personas mayores", "Cuidado de idosos", "Elderly care"),
    Item("freight", S, "day", 150, "Flete con camión", "Frete com caminhão", "Truck freight"),
    Item("courier", S, "piece", 5, "Envíos en bicicleta", "Entregas de bicicleta", "Bicycle courier"),
    Item("storage", S, "month", 70, "Depósito y almacenamiento", "Depósito e armazenagem", "Warehouse storage"),
    Item("software-development", S, "hour", 35, "Desarrollo de software a medida", "Desenvolvimento de software sob medida", "Custom software development"),
    Item("web-design", S, "piece", 600, "Tienda en línea para cooperativas", "Loja virtual para cooperativas", "Online shop for cooperatives"),
    Item("it-support-hosting", S, "month", 30, "Hosting y soporte técnico", "Hospedagem e suporte técnico", "Hosting and IT support"),
    Item("courses-workshops", S, "hour", 20, "Taller de gestión cooperativa", "Oficina de gestão cooperativa", "Cooperative management workshop"),
    Item("cooperative-consulting", S, "hour", 30, "Asesoría contable para cooperativas", "Assessoria contábil para cooperativas", "Accounting advice for cooperatives"),
    Item("translation", S, "piece", 40, "Traducción de documentos", "Tradução de documentos", "Document translation"),
    Item("catering", S, "piece", 8, "Viandas para eventos", "Marmitas para eventos", "Event catering"),
    Item("accommodation", S, "day", 45, "Alojamiento rural", "Hospedagem rural", "Rural lodging"),
    Item("events-venues", S, "day", 200, "Alquiler de salón", "Aluguel de salão", "Venue hire"),
    Item("recycled-materials", P, "kg", 1, "Plástico reciclado en pellets", "Plástico reciclado em pellets", "Recycled plastic pellets"),
    Item("waste-collection", S, "month", 50, "Recolección de residuos reciclables", "Coleta de recicláveis", "Recyclables collection"),
    Item("upcycled-goods", P, "piece", 20, "Bolsos de lona reciclada", "Bolsas de lona reciclada", "Recycled tarp bags"),
    Item("solar-energy", S, "piece", 900, "Instalación de paneles solares", "Instalação de painéis solares", "Solar panel installation"),
    Item("energy-efficiency", S, "hour", 25, "Auditoría energética", "Auditoria energética", "Energy audit"),
    Item("natural-products", P, "piece", 9, "Jabón artesanal de caléndula", "Sabonete artesanal de calêndula", "Handmade calendula soap"),
    Item("health-services", S, "hour", 20, "Consultorio de salud comunitaria", "Consultório de saúde comunitária", "Community health practice"),
    Item("handicrafts", P, "piece", 25, "Canasta de mimbre", "Cesto de vime", "Wicker basket"),
    Item("ceramics", P, "piece", 15, "Vajilla de cerámica", "Louça de cerâmica", "Ceramic tableware"),
]
# fmt: on

# A variant turns one item into several listings that read differently.
PRODUCT_VARIANTS = {
    "es": [
        "",
        "premium",
        "para mayoristas",
        "edición 2026",
        "sin TACC",
        "de producción propia",
        "en caja",
        "a granel",
    ],
    "pt-br": [
        "",
        "premium",
        "para atacado",
        "edição 2026",
        "sem glúten",
        "de produção própria",
        "em caixa",
        "a granel",
    ],
    "en": [
        "",
        "premium",
        "wholesale",
        "2026 edition",
        "gluten-free",
        "home-grown",
        "boxed",
        "bulk",
    ],
}
SERVICE_VARIANTS = {
    "es": [
        "",
        "para cooperativas",
        "paquete básico",
        "paquete completo",
        "con garantía",
        "urgente",
    ],
    "pt-br": [
        "",
        "para cooperativas",
        "pacote básico",
        "pacote completo",
        "com garantia",
        "urgente",
    ],
    "en": ["", "for cooperatives", "basic package", "full package", "with warranty", "express"],
}
PLACES = {
    "AR": [
        "de Mendoza",
        "de Misiones",
        "del Chaco",
        "de Córdoba",
        "de la Patagonia",
        "de Buenos Aires",
    ],
    "UY": ["de Canelones", "de Colonia", "de Tacuarembó", "de Montevideo", "de Rocha"],
    "BR": ["do Paraná", "de Minas Gerais", "da Bahia", "do Rio Grande do Sul", "de Pernambuco"],
    "ES": ["de Andalucía", "de Navarra", "de Galicia", "de Euskadi", "de Valencia"],
    "PT": ["do Alentejo", "do Minho", "dos Açores", "do Algarve"],
}
DESCRIPTIONS = {
    "es": [
        "Producido por nuestra cooperativa con trabajo asociado y precio justo.",
        "Entregamos a otras cooperativas de la región; consultá por volúmenes.",
        "Materia prima local, trazable desde el origen.",
        "Facturamos como cooperativa de trabajo. Pedidos con una semana de anticipación.",
        "Cada compra sostiene puestos de trabajo recuperados.",
    ],
    "pt-br": [
        "Produzido pela nossa cooperativa com trabalho associado e preço justo.",
        "Entregamos para outras cooperativas da região; consulte volumes.",
        "Matéria-prima local, rastreável desde a origem.",
        "Emitimos nota como cooperativa. Pedidos com uma semana de antecedência.",
        "Cada compra sustenta postos de trabalho recuperados.",
    ],
    "en": [
        "Made by our worker cooperative, at a fair price.",
        "We deliver to other cooperatives in the region; ask about volumes.",
        "Local raw materials, traceable to their origin.",
        "Invoiced as a cooperative. Please order a week ahead.",
        "Every purchase keeps recovered jobs going.",
    ],
}
# Rough units of each currency per US dollar, to make prices look local.
USD_RATES = {"ARS": 1000, "UYU": 40, "BRL": 5, "EUR": 0.9, "USD": 1, "CLP": 900, "MXN": 18}
COUNTRY_CURRENCY = {
    "AR": "ARS",
    "UY": "UYU",
    "BR": "BRL",
    "CL": "CLP",
    "MX": "MXN",
    "US": "USD",
}
EURO_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "CY",
        "DE",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PT",
        "SI",
        "SK",
    }
)
SECTOR_CATEGORY = {
    "food": "food",
    "textiles": "textiles",
    "printing": "printing",
    "metalwork": "metalwork",
    "construction": "construction",
    "furniture": "furniture",
    "care": "cleaning-care",
    "logistics": "logistics",
    "software": "software",
    "education": "education",
    "hospitality": "hospitality",
    "recycling": "recycling",
    "energy": "energy",
    "health": "health",
}


def currency_for(country: str) -> str:
    if country in EURO_COUNTRIES:
        return "EUR"
    return COUNTRY_CURRENCY.get(country, "USD")


def language_for(country: str) -> str:
    if country in {"BR", "PT", "AO", "MZ"}:
        return "pt-br"
    if country in {"AR", "UY", "CL", "MX", "ES", "PY", "BO", "PE", "CO", "EC", "VE", "CR", "CU"}:
        return "es"
    return "en"


def local_price(usd: float, currency: str, factor: float) -> int:
    """A price in minor units that looks like one a seller would write (two significant digits)."""
    from decimal import Decimal

    from core.money import to_minor
    from core.reference import currency_decimals

    major = usd * USD_RATES.get(currency, 1) * factor
    if major < 10:
        tenths = currency_decimals(currency) > 0
        rounded = Decimal(round(major * 10)).scaleb(-1) if tenths else Decimal(round(major))
        return max(to_minor(rounded, currency), 1)
    magnitude = 10 ** (len(str(int(major))) - 2)
    return to_minor(Decimal(round(major / magnitude) * magnitude), currency)
