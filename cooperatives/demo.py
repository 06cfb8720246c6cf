"""Demo cooperatives, their members, a moderator and an administrator (fictional, all of them).

`seed(out)` is idempotent: people are keyed on e-mail and cooperatives on slug; a second run finds
them all and creates nothing. Cooperatives are created through the same services as the API, so
logos are validated and re-encoded and the creator becomes the first owner.
"""

import io
import math
from dataclasses import dataclass
from functools import cache
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import MODERATORS_GROUP, User, normalize_email
from cooperatives import services
from cooperatives.models import (
    Cooperative,
    LegalForm,
    Membership,
    Role,
    Sector,
    VerificationRequest,
)
from cooperatives.state import VerificationStatus, ensure_transition

DEMO_PASSWORD = "minga-demo-2026"  # nosec B105  # the published password of demo accounts
ADMIN_EMAIL = "admin@minga.test"
MODERATOR_EMAIL = "moderadora@minga.test"


@dataclass(frozen=True)
class DemoCooperative:
    slug: str
    initials: str
    colour: str
    profile: dict[str, Any]
    # (e-mail, name, role); the first one is the owner who creates the cooperative.
    people: list[tuple[str, str, str]]
    verification: str = VerificationStatus.UNVERIFIED
    emblem: int = 0


def _p(**profile: Any) -> dict[str, Any]:
    return profile


COOPERATIVES: list[DemoCooperative] = [
    DemoCooperative(
        slug="grafica-estrella-del-sur",
        initials="ES",
        colour="#1d5e4a",
        emblem=0,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Cooperativa Gráfica Estrella del Sur",
            legal_form=LegalForm.RECUPERATED,
            sector=Sector.PRINTING,
            country="AR",
            region="Ciudad Autónoma de Buenos Aires",
            city="Buenos Aires",
            founded_year=2002,
            member_count=23,
            is_recuperated=True,
            description=(
                "Somos una imprenta recuperada por sus trabajadores. Cuando en 2002 los dueños "
                "cerraron la planta y dejaron sueldos impagos, ocupamos el taller para que las "
                "máquinas no se vendieran como chatarra. Hoy imprimimos libros, revistas, "
                "cuadernos y folletería para editoriales independientes, sindicatos y otras "
                "cooperativas, con papel certificado y tintas vegetales."
            ),
            description_language="es",
            website="https://estrelladelsur.example",
            contact_email="pedidos@estrelladelsur.example",
            phone="+54 11 4000-1111",
            tax_id="30-71000001-1",
            address="Av. Ficticia 1234, Parque Patricios",
        ),
        people=[
            ("lucia@minga.test", "Lucía Fernández", Role.OWNER),
            ("martin@minga.test", "Martín Acosta", Role.ADMIN),
            ("carla@minga.test", "Carla Benítez", Role.MEMBER),
        ],
    ),
    DemoCooperative(
        slug="metalurgica-renacer",
        initials="MR",
        colour="#3b4a6b",
        emblem=2,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Metalúrgica Renacer Cooperativa de Trabajo",
            legal_form=LegalForm.WORKER,
            sector=Sector.METALWORK,
            country="AR",
            region="Buenos Aires",
            city="Quilmes",
            founded_year=2004,
            member_count=41,
            is_recuperated=True,
            description=(
                "Fábrica metalúrgica recuperada tras la quiebra de la empresa anterior. Producimos "
                "piezas torneadas, estructuras soldadas y repuestos para maquinaria agrícola. "
                "Cada decisión se toma en asamblea y los retiros son iguales para todos."
            ),
            description_language="es",
            contact_email="ventas@renacer.example",
            tax_id="30-71000002-2",
        ),
        people=[
            ("jorge@minga.test", "Jorge Villalba", Role.OWNER),
            ("sofia@minga.test", "Sofía Ledesma", Role.ADMIN),
            ("ramon@minga.test", "Ramón Quiroga", Role.MEMBER),
        ],
    ),
    DemoCooperative(
        slug="textil-hilos-del-sur",
        initials="HS",
        colour="#7a2e5c",
        emblem=1,
        profile=_p(
            name="Cooperativa Textil Hilos del Sur",
            legal_form=LegalForm.WORKER,
            sector=Sector.TEXTILES,
            country="AR",
            region="Santa Fe",
            city="Rosario",
            founded_year=2011,
            member_count=14,
            description=(
                "Taller textil autogestionado: confeccionamos guardapolvos, ropa de trabajo y "
                "uniformes a medida, y cortamos con moldería propia para tiradas cortas."
            ),
            description_language="es",
            contact_email="taller@hilosdelsur.example",
        ),
        people=[("valeria@minga.test", "Valeria Godoy", Role.OWNER)],
    ),
    DemoCooperative(
        slug="hotel-los-andes",
        initials="LA",
        colour="#8a3b12",
        emblem=3,
        verification=VerificationStatus.PENDING,
        profile=_p(
            name="Hotel Cooperativo Los Andes",
            legal_form=LegalForm.RECUPERATED,
            sector=Sector.HOSPITALITY,
            country="AR",
            region="Mendoza",
            city="Mendoza",
            founded_year=2009,
            member_count=32,
            is_recuperated=True,
            description=(
                "Hotel recuperado por sus trabajadoras y trabajadores después del abandono de la "
                "sociedad anónima que lo explotaba. Ofrecemos alojamiento, salones para "
                "congresos y encuentros del movimiento cooperativo, y catering."
            ),
            description_language="es",
            website="https://hotellosandes.example",
            phone="+54 261 400-2222",
        ),
        people=[
            ("mariela@minga.test", "Mariela Sosa", Role.OWNER),
            ("martin@minga.test", "Martín Acosta", Role.MEMBER),
        ],
    ),
    DemoCooperative(
        slug="codigo-comun",
        initials="CC",
        colour="#25606e",
        emblem=2,
        profile=_p(
            name="Código Común Cooperativa de Software",
            legal_form=LegalForm.PLATFORM,
            sector=Sector.SOFTWARE,
            country="AR",
            region="Córdoba",
            city="Córdoba",
            founded_year=2016,
            member_count=9,
            description=(
                "Desarrollamos software libre para organizaciones sociales: sistemas de gestión "
                "para cooperativas, tiendas en línea y herramientas de votación en asamblea."
            ),
            description_language="es",
            website="https://codigocomun.example",
        ),
        people=[("tomas@minga.test", "Tomás Paredes", Role.OWNER)],
    ),
    DemoCooperative(
        slug="consumo-montevideo-solidario",
        initials="MS",
        colour="#2f6b2a",
        emblem=0,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Cooperativa de Consumo Montevideo Solidario",
            legal_form=LegalForm.CONSUMER,
            sector=Sector.FOOD,
            country="UY",
            region="Montevideo",
            city="Montevideo",
            founded_year=1987,
            member_count=1250,
            description=(
                "Almacén cooperativo de consumo con más de mil familias socias. Compramos "
                "directamente a cooperativas de productores y a empresas recuperadas de la "
                "región para ofrecer precios justos a quienes producen y a quienes consumen."
            ),
            description_language="es",
            contact_email="compras@montevideosolidario.example",
            tax_id="210000010018",
        ),
        people=[
            ("ana@minga.test", "Ana Rodríguez", Role.OWNER),
            ("diego@minga.test", "Diego Pereira", Role.ADMIN),
            ("lucia@minga.test", "Lucía Fernández", Role.MEMBER),
        ],
    ),
    DemoCooperative(
        slug="tambo-las-piedras",
        initials="LP",
        colour="#4a6b8a",
        emblem=1,
        profile=_p(
            name="Cooperativa Agraria Tambo Las Piedras",
            legal_form=LegalForm.PRODUCER,
            sector=Sector.FOOD,
            country="UY",
            region="Canelones",
            city="Las Piedras",
            founded_year=1995,
            member_count=38,
            description=(
                "Productores lecheros familiares que elaboran quesos, dulce de leche y manteca "
                "en una planta propia, con leche de pasturas naturales."
            ),
            description_language="es",
        ),
        people=[("nestor@minga.test", "Néstor Olivera", Role.OWNER)],
    ),
    DemoCooperative(
        slug="recicla-vida",
        initials="RV",
        colour="#1f7a52",
        emblem=2,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Cooperativa de Catadores Recicla Vida",
            legal_form=LegalForm.WORKER,
            sector=Sector.RECYCLING,
            country="BR",
            region="São Paulo",
            city="São Paulo",
            founded_year=2001,
            member_count=57,
            description=(
                "Somos catadoras e catadores de materiais recicláveis organizados em cooperativa. "
                "Fazemos coleta seletiva em condomínios e empresas, triagem e venda de papel, "
                "plástico e metal, com rastreabilidade para relatórios de logística reversa."
            ),
            description_language="pt-br",
            contact_email="coleta@reciclavida.example",
            tax_id="12.345.678/0001-95",
        ),
        people=[
            ("joana@minga.test", "Joana Silva", Role.OWNER),
            ("paulo@minga.test", "Paulo Souza", Role.ADMIN),
            ("beatriz@minga.test", "Beatriz Lima", Role.MEMBER),
        ],
    ),
    DemoCooperative(
        slug="terra-viva",
        initials="TV",
        colour="#6b5a1d",
        emblem=0,
        profile=_p(
            name="Cooperativa Agroecológica Terra Viva",
            legal_form=LegalForm.PRODUCER,
            sector=Sector.FOOD,
            country="BR",
            region="Rio Grande do Sul",
            city="Porto Alegre",
            founded_year=2008,
            member_count=112,
            description=(
                "Agricultores familiares de assentamentos da reforma agrária que produzem arroz "
                "orgânico, feijão, hortaliças e sucos, com certificação participativa."
            ),
            description_language="pt-br",
        ),
        people=[("rafael@minga.test", "Rafael Oliveira", Role.OWNER)],
    ),
    DemoCooperative(
        slug="metalurgica-nova-aurora",
        initials="NA",
        colour="#5c3b6b",
        emblem=3,
        profile=_p(
            name="Cooperativa Metalúrgica Nova Aurora",
            legal_form=LegalForm.RECUPERATED,
            sector=Sector.METALWORK,
            country="BR",
            region="São Paulo",
            city="São Bernardo do Campo",
            founded_year=1999,
            member_count=76,
            is_recuperated=True,
            description=(
                "Fábrica de forjados recuperada pelos trabalhadores depois da falência da antiga "
                "empresa. Produzimos flanges, conexões e peças forjadas sob encomenda."
            ),
            description_language="pt-br",
        ),
        people=[("marcos@minga.test", "Marcos Pereira", Role.OWNER)],
    ),
    DemoCooperative(
        slug="aceites-sierra-alta",
        initials="SA",
        colour="#55701f",
        emblem=1,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Aceites Sierra Alta S. Coop. And.",
            legal_form=LegalForm.PRODUCER,
            sector=Sector.FOOD,
            country="ES",
            region="Andalucía",
            city="Jaén",
            founded_year=1962,
            member_count=480,
            description=(
                "Almazara cooperativa de olivareros de la sierra. Molturamos la aceituna de "
                "nuestras socias y socios el mismo día de la recogida y envasamos aceite de "
                "oliva virgen extra en botella, lata y garrafa para hostelería."
            ),
            description_language="es",
            website="https://sierraalta.example",
            tax_id="F23000000",
        ),
        people=[("carmen@minga.test", "Carmen Ruiz", Role.OWNER)],
    ),
    DemoCooperative(
        slug="viento-sur-energia",
        initials="VS",
        colour="#b07d12",
        emblem=2,
        profile=_p(
            name="Viento Sur Energía S. Coop.",
            legal_form=LegalForm.MULTI_STAKEHOLDER,
            sector=Sector.ENERGY,
            country="ES",
            region="Comunidad de Madrid",
            city="Madrid",
            founded_year=2013,
            member_count=6400,
            description=(
                "Comercializadora y productora de energía renovable sin ánimo de lucro. "
                "Instalamos autoconsumo solar compartido para cooperativas y comunidades "
                "vecinales."
            ),
            description_language="es",
        ),
        people=[("javier@minga.test", "Javier Moreno", Role.OWNER)],
    ),
    DemoCooperative(
        slug="cafe-tierra-alta",
        initials="TA",
        colour="#5a3a22",
        emblem=0,
        verification=VerificationStatus.VERIFIED,
        profile=_p(
            name="Sociedad Cooperativa Café Tierra Alta",
            legal_form=LegalForm.PRODUCER,
            sector=Sector.FOOD,
            country="MX",
            region="Chiapas",
            city="San Cristóbal de las Casas",
            founded_year=1994,
            member_count=310,
            description=(
                "Familias cafetaleras de los Altos de Chiapas que cultivan café de sombra, lo "
                "benefician y lo tuestan en la cooperativa. Vendemos café verde y tostado."
            ),
            description_language="es",
        ),
        people=[("guadalupe@minga.test", "Guadalupe Hernández", Role.OWNER)],
    ),
    DemoCooperative(
        slug="cuidados-compartidos",
        initials="CC",
        colour="#2a5c7a",
        emblem=3,
        profile=_p(
            name="Cooperativa de Trabajo Cuidados Compartidos",
            legal_form=LegalForm.WORKER,
            sector=Sector.CARE,
            country="CL",
            region="Región Metropolitana",
            city="Santiago",
            founded_year=2018,
            member_count=19,
            description=(
                "Trabajadoras del cuidado organizadas en cooperativa: limpieza de oficinas, "
                "cuidado de personas mayores y servicios de lavandería industrial."
            ),
            description_language="es",
        ),
        people=[("camila@minga.test", "Camila Rojas", Role.OWNER)],
    ),
    DemoCooperative(
        slug="fonderia-nuova-luce",
        initials="NL",
        colour="#7a3b2a",
        emblem=1,
        profile=_p(
            name="Fonderia Nuova Luce Società Cooperativa",
            legal_form=LegalForm.WORKER,
            sector=Sector.METALWORK,
            country="IT",
            region="Emilia-Romagna",
            city="Bologna",
            founded_year=2014,
            member_count=27,
            is_recuperated=True,
            description=(
                "A foundry bought out by its workers when the family owners retired without a "
                "successor. We cast aluminium and bronze parts for machinery and restoration, "
                "in small and medium runs."
            ),
            description_language="en",
        ),
        people=[("giulia@minga.test", "Giulia Bianchi", Role.OWNER)],
    ),
    DemoCooperative(
        slug="confecciones-manos-unidas",
        initials="MU",
        colour="#8a1d4a",
        emblem=2,
        profile=_p(
            name="Cooperativa de Confecciones Manos Unidas",
            legal_form=LegalForm.WORKER,
            sector=Sector.TEXTILES,
            country="CO",
            region="Antioquia",
            city="Medellín",
            founded_year=2010,
            member_count=22,
            description=(
                "Mujeres confeccionistas que producen dotaciones, bolsas de tela y prendas "
                "deportivas, con talleres en tres barrios de la ciudad."
            ),
            description_language="es",
        ),
        people=[("paola@minga.test", "Paola Restrepo", Role.OWNER)],
    ),
]

# A tiny but well-formed one-page PDF, standing in for a cooperative's statutes.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font still works
        return ImageFont.load_default()


def _polygon(
    centre: float, radius: float, sides: int, rotation: float
) -> list[tuple[float, float]]:
    return [
        (
            centre + radius * math.cos(rotation + 2 * math.pi * k / sides),
            centre + radius * math.sin(rotation + 2 * math.pi * k / sides),
        )
        for k in range(sides)
    ]


def draw_logo(initials: str, colour: str, emblem: int, size: int = 512) -> bytes:
    """A simple emblem (circle, triangle, hexagon or diamond) behind the initials, as PNG bytes."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    centre, radius = size / 2, size * 0.38
    light = (255, 255, 255)
    width = max(4, size // 40)
    if emblem % 4 == 0:
        draw.ellipse(
            (centre - radius, centre - radius, centre + radius, centre + radius),
            outline=light,
            width=width,
        )
    else:
        sides, rotation = {1: (3, -math.pi / 2), 2: (6, 0.0), 3: (4, 0.0)}[emblem % 4]
        points = _polygon(centre, radius, sides, rotation)
        draw.polygon(points, outline=light, width=width)
    # A triangle's room is low and narrow: its initials sit lower and smaller.
    height, font_size = (1.18, size // 5) if emblem % 4 == 1 else (1.04, size // 4)
    draw.text((centre, centre * height), initials, fill=light, font=_font(font_size), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# Where buyers pay the demo sellers (fictional, with valid check digits so the Payments page
# accepts them): one set per country's scheme. Café Tierra Alta has none, so the demo also shows
# what buyers and the seller read when details are missing.
DEMO_PAYOUT_DETAILS: dict[str, dict[str, str]] = {
    "grafica-estrella-del-sur": {
        "holder_tax_id": "30-70912345-1",
        "cbu": "1910123300001234567891",
        "alias": "ESTRELLA.SUR.GRAFICA",
    },
    "metalurgica-renacer": {"holder_tax_id": "30-71045678-2", "cbu": "0110599520000042173687"},
    "textil-hilos-del-sur": {"cbu": "0000003110002003040507", "alias": "HILOS.DEL.SUR"},
    "hotel-los-andes": {"cbu": "1910245800009876543219", "alias": "LOS.ANDES.HOTEL"},
    "codigo-comun": {"cbu": "2850590909400904181356", "alias": "CODIGO.COMUN.COOP"},
    "consumo-montevideo-solidario": {
        "holder_tax_id": "RUT 215678900017",
        "bank_name": "Banco República (BROU)",
        "account_number": "001234567-00001",
        "notes": "Caja de ahorro en pesos uruguayos (UYU).",
    },
    "tambo-las-piedras": {
        "bank_name": "Banco República (BROU)",
        "account_number": "001987654-00002",
        "notes": "Cuenta corriente en pesos; para dólares pedir la cuenta en USD.",
    },
    "recicla-vida": {"pix_key_type": "cnpj", "pix_key": "45.678.912/0001-55"},
    "terra-viva": {"pix_key_type": "email", "pix_key": "financeiro@terraviva.coop.test"},
    "metalurgica-nova-aurora": {
        "pix_key_type": "random",
        "pix_key": "7d444840-9dc0-11d1-b245-5ffdce74fad2",
        "bank_name": "Sicredi",
        "bank_code": "748",
        "branch": "0101",
        "account_number": "12345-6",
    },
    "aceites-sierra-alta": {"iban": "ES9030580990272000012345", "bic": "CCRIES2AXXX"},
    "viento-sur-energia": {"iban": "ES2731870123451234567890", "bank_name": "Caja Laboral"},
    "cuidados-compartidos": {"bank_name": "BancoEstado", "account_number": "CuentaRUT 12345678"},
    "fonderia-nuova-luce": {"iban": "IT61X0306909606100000012345", "bic": "BCITITMM"},
    "confecciones-manos-unidas": {
        "bank_name": "Banco Cooperativo Coopcentral",
        "account_number": "0012-3456-7890",
        "notes": "Cuenta de ahorros en pesos colombianos (COP).",
    },
}


def _seed_payout_details() -> int:
    """Give the demo sellers their payout details where they have none yet (also in a demo
    database seeded before the Payments page existed); through the service, so they are checked."""
    count = 0
    for cooperative in Cooperative.objects.filter(
        slug__in=DEMO_PAYOUT_DETAILS, payout_details__isnull=True
    ):
        owner = cooperative.memberships.filter(role=Role.OWNER).select_related("user").first()
        if owner is None:
            continue
        services.payout_details_update(
            cooperative=cooperative,
            actor=owner.user,
            account_holder=cooperative.name,
            **DEMO_PAYOUT_DETAILS[cooperative.slug],
        )
        count += 1
    return count


@cache
def _password_hash() -> str:
    """Hashed once: 25 accounts at a million PBKDF2 rounds each would take most of a minute."""
    return make_password(DEMO_PASSWORD)


def _user(email: str, name: str, created: list[str], **extra: Any) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create(
            email=normalize_email(email),
            name=name,
            password=_password_hash(),
            email_confirmed_at=timezone.now(),  # the demo's addresses receive no mail
            **extra,
        )
        created.append(email)
    return user


def _verify_for_demo(cooperative: Cooperative, owner: User, moderator: User) -> None:
    """A verified cooperative, as if a moderator approved its request: through the state table."""
    request = services.verification_request_submit(
        cooperative=cooperative,
        actor=owner,
        documents=[SimpleUploadedFile("estatuto.pdf", DEMO_PDF, "application/pdf")],
        note="Estatuto y matrícula.",
    )
    cooperative.refresh_from_db()
    now = timezone.now()
    cooperative.verification_status = ensure_transition("verify", cooperative.verification_status)
    cooperative.verified_at = now
    cooperative.save(update_fields=["verification_status", "verified_at", "updated_at"])
    request.status = VerificationRequest.Status.APPROVED
    request.decided_at = now
    request.decided_by = moderator
    request.decision_reason = "Documentación en regla."
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])


def _seed_cooperative(spec: DemoCooperative, moderator: User, created_people: list[str]) -> bool:
    if Cooperative.objects.filter(slug=spec.slug).exists():
        return False
    people = [(_user(email, name, created_people), role) for email, name, role in spec.people]
    owner = people[0][0]
    logo = SimpleUploadedFile(
        "logo.png", draw_logo(spec.initials, spec.colour, spec.emblem), "image/png"
    )
    cooperative = services.cooperative_create(
        actor=owner, slug=spec.slug, logo=logo, **spec.profile
    )
    for user, role in people[1:]:
        # Demo members join directly: invitations would print a dozen e-mails on the console.
        Membership.objects.get_or_create(
            user=user, cooperative=cooperative, defaults={"role": role}
        )
    if spec.verification == VerificationStatus.VERIFIED:
        _verify_for_demo(cooperative, owner, moderator)
    elif spec.verification == VerificationStatus.PENDING:
        services.verification_request_submit(
            cooperative=cooperative,
            actor=owner,
            documents=[SimpleUploadedFile("estatuto.pdf", DEMO_PDF, "application/pdf")],
            note="Adjuntamos el estatuto y el acta de la última asamblea.",
        )
    return True


def seed(out: TextIO) -> list[str]:
    """Create what is missing of the demo cooperatives and accounts; return the lines to print."""
    created_people: list[str] = []
    _user(ADMIN_EMAIL, "Minga Admin", created_people, is_staff=True, is_superuser=True)
    moderator = _user(MODERATOR_EMAIL, "Inés Moderadora", created_people)
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderator.groups.add(group)

    created = [
        spec.slug for spec in COOPERATIVES if _seed_cooperative(spec, moderator, created_people)
    ]
    out.write(
        f"cooperatives: {len(created)} demo cooperatives and {len(created_people)} accounts created"
        f" ({len(COOPERATIVES) - len(created)} cooperatives were already there); payout details"
        f" for {_seed_payout_details()}.\n"
    )
    return demo_accounts()


def demo_accounts() -> list[str]:
    """Who to sign in as, for the README and the console."""
    roles: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for spec in COOPERATIVES:
        for email, name, role in spec.people:
            names[email] = name
            roles.setdefault(email, []).append(f"{role} of {spec.profile['name']}")
    lines = [
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
        f"  {ADMIN_EMAIL:<24} superuser, Django admin at /admin/",
        f"  {MODERATOR_EMAIL:<24} moderator",
    ]
    for email, held in roles.items():
        lines.append(f"  {email:<24} {'; '.join(held)}")
    return lines
