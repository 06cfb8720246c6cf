"""E-mail about decisions reaches the cooperative's managers in their own language."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.core import mail

import moderation
from moderation import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOCALE = Path(moderation.__file__).parent.parent / "locale"  # the project catalogue


def test_each_manager_reads_the_decision_in_their_language(
    moderator, pending_listing, seller_owner, seller_admin, django_capture_on_commit_callbacks
):
    seller_owner.language = "es"
    seller_owner.save()
    seller_admin.language = "pt-br"
    seller_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(moderator).post(
            f"/api/v1/moderation/listings/{pending_listing.pk}/reject/",
            {"reason": "Las fotos son de catálogo."},
            format="json",
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    spanish = by_recipient[seller_owner.email]
    assert spanish.subject == f"Su publicación «{pending_listing.title}» no fue aprobada"
    assert "Motivo de la moderación:" in spanish.body
    assert "Las fotos son de catálogo." in spanish.body
    portuguese = by_recipient[seller_admin.email]
    assert portuguese.subject == f"Seu anúncio “{pending_listing.title}” não foi aprovado"


def test_unknown_language_falls_back_to_english(
    moderator, seller_coop, seller_owner, django_capture_on_commit_callbacks
):
    seller_owner.language = "xx"
    seller_owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.cooperative_verify(cooperative=seller_coop, actor=moderator)
    (message,) = mail.outbox
    assert message.subject == f"{seller_coop.name} is now a verified cooperative"


def test_nothing_is_sent_when_the_transaction_rolls_back(
    moderator, pending_listing, seller_owner, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.listing_approve(listing=pending_listing, actor=moderator)
        raise RuntimeError("something after the decision failed")
    assert callbacks == []
    assert mail.outbox == []
    pending_listing.refresh_from_db()
    assert pending_listing.status == "pending_review"


def test_a_mail_server_failure_does_not_undo_the_decision(
    moderator, pending_listing, seller_owner, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("SMTP is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(
            f"/api/v1/moderation/listings/{pending_listing.pk}/approve/"
        )
    assert response.status_code == 200
    pending_listing.refresh_from_db()
    assert pending_listing.status == "published"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_compiled_catalogues_match_their_sources(language):
    """The .mo files (compiled by `compile_translations`, pure Python) hold every .po entry."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.po").open("rb") as source:
        po = {_key(m.id): _key(m.string) for m in read_po(source) if m.id and m.string}
    with (folder / "django.mo").open("rb") as compiled:
        mo = {_key(m.id): _key(m.string) for m in read_mo(compiled) if m.id}
    assert mo == po
