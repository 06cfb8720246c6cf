"""A person who forgot the password gets back in, in Spanish on a phone: the e-mail comes from
Django's outbox (the live server runs in this process), the link works once."""

import re

from django.core import mail
from django.core.cache import cache

from accounts.models import ApiToken, User
from accounts.services import token_create
from tests.e2e.phone import sideways_overflow
from tests.factories import UserFactory

NEW = "telar-de-los-andes-2026"


def test_a_forgotten_password_is_reset_end_to_end_in_spanish(new_context, db):  # type: ignore[no-untyped-def]
    cache.clear()
    rosa = UserFactory(email="rosa@yerbamate.coop", name="Rosa Quispe", language="es")
    token = token_create(user=rosa)
    mail.outbox.clear()
    page = new_context(locale="es", phone=True).new_page()

    page.goto("/signin/")
    page.get_by_role("link", name="¿Olvidaste tu contraseña?").click()
    page.wait_for_url("**/password/reset/")  # measured on the page it opens, not mid-navigation
    assert sideways_overflow(page) is None
    page.get_by_label("Correo electrónico").fill("Rosa@YerbaMate.coop")
    page.get_by_role("button", name="Envíenme el enlace").click()
    page.get_by_role("heading", name="Revisa tu correo").wait_for()

    (message,) = mail.outbox
    assert message.to == ["rosa@yerbamate.coop"]
    assert "contraseña" in message.subject
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body)
    assert link, message.body

    page.goto(link.group(0))
    page.get_by_role("heading", name="Elige una contraseña nueva").wait_for()
    assert sideways_overflow(page) is None
    page.get_by_label(re.compile(r"^Contraseña nueva:?$")).fill(NEW)
    page.get_by_label(re.compile(r"^Contraseña nueva \(confirmación\)")).fill(NEW)
    page.get_by_role("button", name="Guardar la contraseña nueva").click()
    page.locator("#messages").get_by_text("Tu contraseña cambió").wait_for()

    page.get_by_label("Correo electrónico").fill("rosa@yerbamate.coop")
    page.get_by_label(re.compile(r"^Contraseña:?$")).fill(NEW)
    page.locator("main").get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("button", name="Cerrar sesión").wait_for()
    assert User.objects.get(pk=rosa.pk).check_password(NEW)
    assert not ApiToken.objects.filter(pk=token.token.pk).exists()

    page.goto(link.group(0))  # the link worked once
    page.get_by_text("Este enlace ya no es válido").wait_for()
