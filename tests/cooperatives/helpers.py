"""A small world for API tests: one cooperative with a person in each role, and the outsiders;
and the directory of cooperatives the API and page tests filter."""

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import User
from cooperatives.models import (
    Cooperative,
    Invitation,
    LegalForm,
    Membership,
    Role,
    Sector,
    VerificationDocument,
    VerificationRequest,
)
from cooperatives.state import VerificationStatus
from tests.conftest import client_for
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"
PERSONAS = ["anonymous", "outsider", "member", "admin", "owner", "moderator"]
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CBU = "2850590940090418135201"  # an Argentine bank account (Banco Macro's published example)

# Private data of the world's cooperative: a non-member must never read any of these.
SECRET_TAX_ID = "30-71234567-8"
SECRET_ADDRESS = "Pasaje Secreto 742, Avellaneda"
SECRET_INVITEE = "secret-invitee@example.coop"
SECRET_DOCUMENT = "estatuto-confidencial.pdf"


@dataclass
class World:
    coop: Cooperative
    owner: User
    admin: User
    member: User
    target: Membership  # a second plain member: the one roles are changed on and removed
    outsider: User
    moderator: User
    invitation: Invitation
    document: VerificationDocument

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)

    def client(self, persona: str) -> APIClient:
        user = self.user(persona)
        return APIClient() if user is None else client_for(user)

    @property
    def base(self) -> str:
        return f"/api/v1/cooperatives/{self.coop.slug}"


def build_world(
    coop: Cooperative, owner: User, admin: User, member: User, outsider: User, moderator: User
) -> World:
    coop.tax_id = SECRET_TAX_ID
    coop.address = SECRET_ADDRESS
    coop.save()
    target = MembershipFactory(cooperative=coop, role=Role.MEMBER)
    invitation = Invitation.objects.create(
        cooperative=coop, email=SECRET_INVITEE, role=Role.MEMBER, invited_by=owner
    )
    document = rejected_verification(coop, owner, SECRET_DOCUMENT)
    return World(coop, owner, admin, member, target, outsider, moderator, invitation, document)


def rejected_verification(coop: Cooperative, owner: User, file_name: str) -> VerificationDocument:
    """A decided (rejected) verification request of `coop` with its one PDF document, which this
    returns: the cooperative may ask again."""
    request = VerificationRequest.objects.create(
        cooperative=coop, submitted_by=owner, status=VerificationRequest.Status.REJECTED
    )
    document = VerificationDocument(
        request=request,
        original_name=file_name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    document.file.save("document", ContentFile(PDF_BYTES), save=True)
    return document


def directory_of_four() -> dict[str, Cooperative]:
    """The directory the API and page tests filter: a textile cooperative in Avellaneda, a
    verified recuperated print shop in Buenos Aires, a dairy in Montevideo (whose description
    speaks of cheese) and a suspended cooperative that only its members find."""
    return {
        "huella": CooperativeFactory(
            name="Textil La Huella", country="AR", city="Avellaneda", sector=Sector.TEXTILES
        ),
        "chilavert": CooperativeFactory(
            name="Gráfica Chilavert",
            country="AR",
            city="Buenos Aires",
            sector=Sector.PRINTING,
            legal_form=LegalForm.RECUPERATED,
            is_recuperated=True,
            verification_status=VerificationStatus.VERIFIED,
        ),
        "conaprole": CooperativeFactory(
            name="Lechería del Sur",
            country="UY",
            city="Montevideo",
            sector=Sector.FOOD,
            legal_form=LegalForm.PRODUCER,
            description="Leche y quesos de tambos familiares.",
        ),
        "suspended": CooperativeFactory(
            name="Cooperativa Suspendida",
            country="AR",
            verification_status=VerificationStatus.SUSPENDED,
        ),
    }


def pdf_upload(name: str = "statute.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes(size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=1 if mode in ("1", "P") else (200, 80, 40)).save(
        buffer, format="PNG", **save
    )
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color=(30, 120, 60)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A photo cut off halfway through its pixel data, as an interrupted upload leaves it."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (16, 16), color=3).save(buffer, format="GIF")
    return buffer.getvalue()


def new_user(email: str, **fields: Any) -> User:
    return UserFactory(email=email, **fields)
