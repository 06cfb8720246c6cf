"""What every page owes its readers and the later strict CSP: translated strings, labels,
landmarks, the language, no inline script or style, and no ORM of its own."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cooperatives.models import Invitation
from tests.frontend.helpers import browser_for, elements, text

FRONTEND = Path(settings.BASE_DIR) / "frontend"
TEMPLATES = sorted((FRONTEND / "templates").rglob("*.html"))
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
TRANSLATED_ATTRIBUTES = re.compile(r'\b(aria-label|title|alt|placeholder|hx-confirm)="([^"]*)"')


def _without_django(source: str) -> str:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}", "", source, flags=re.S)
    return re.sub(r"{{.*?}}", "", source, flags=re.S)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_every_string_in_the_templates_is_marked_for_translation(template):
    source = template.read_text()
    for attribute, value in TRANSLATED_ATTRIBUTES.findall(source):
        assert not LETTERS.search(_without_django(value)), (
            f"{template.name}: {attribute}={value!r} is not translated"
        )
    visible = re.sub(r"<[^>]*>", " ", _without_django(source))
    visible = re.sub(r"&\w+;", " ", visible)
    leftovers = [word for word in visible.split() if LETTERS.search(word)]
    assert not leftovers, f"{template.name}: untranslated text {leftovers[:5]}"


def test_no_python_in_the_frontend_runs_its_own_queries():
    """Pages call selectors and services; they never reach for the ORM themselves."""
    for module in FRONTEND.rglob("*.py"):
        source = module.read_text()
        assert ".objects" not in source, f"{module} queries the ORM"
        assert "from django.db" not in source, f"{module} imports the ORM"


def test_htmx_is_vendored_with_its_licence():
    htmx = (FRONTEND / "static" / "frontend" / "htmx.min.js").read_text()
    assert htmx.startswith("/*! htmx 2.")
    assert "Zero-Clause BSD" in htmx[:1000]
    assert "var htmx=function()" in htmx
    css = (FRONTEND / "static" / "frontend" / "minga.css").read_text()
    assert ":focus-visible" in css and ".badge-verified" in css and ".badge-recuperated" in css


@pytest.fixture
def pages(db, seller_coop, seller_owner, seller_member):  # type: ignore[no-untyped-def]
    """Every page, as the person who would normally see it."""
    invitation = Invitation.objects.create(
        cooperative=seller_coop, email=seller_owner.email.replace("@", "+x@")
    )
    owner = browser_for(seller_owner)
    slug = seller_coop.slug
    return {
        "/": None,
        "/signup/": None,
        "/signin/": None,
        "/catalogue/": None,
        "/cooperatives/": None,
        f"/cooperatives/{slug}/": owner,
        f"/invitations/{invitation.token}/": None,
        "/my/cooperatives/": owner,
        "/my/new-cooperative/": owner,
        f"/my/cooperatives/{slug}/": owner,
        f"/my/cooperatives/{slug}/edit/": owner,
        f"/my/cooperatives/{slug}/verification/": owner,
        "/no-such-page/": None,
    }


def test_pages_are_ready_for_a_strict_content_security_policy(client, pages):
    for url, browser in pages.items():
        html = text((browser or client).get(url))
        found = elements(html)
        assert not found.script_bodies, f"{url} has an inline script"
        for tag, attrs in found.tags:
            assert "style" not in attrs, f"{url}: <{tag} style=...>"
            assert not [name for name in attrs if name.startswith("on")], f"{url}: <{tag} on...>"
            assert tag != "style", f"{url} has a <style> element"
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), f"{url}: {attrs}"


def test_every_control_has_a_label(client, pages):
    for url, browser in pages.items():
        found = elements(text((browser or client).get(url)))
        labelled = {attrs.get("for") for tag, attrs in found.tags if tag == "label"}
        for tag, attrs in found.tags:
            if tag not in {"input", "select", "textarea"}:
                continue
            if attrs.get("type") in {"hidden", "submit"}:
                continue
            assert attrs.get("id") in labelled or attrs.get("aria-label"), (
                f"{url}: <{tag} {attrs}> has no label"
            )


def test_pages_have_landmarks_and_the_csrf_header_for_htmx(client, pages):
    for url, browser in pages.items():
        found = elements(text((browser or client).get(url)))
        tags = {tag for tag, attrs in found.tags}
        assert {"header", "nav", "main", "footer"} <= tags, url
        body = next(attrs for tag, attrs in found.tags if tag == "body")
        assert '"X-CSRFToken"' in body["hx-headers"], url


@pytest.mark.parametrize(("accept", "lang"), [("es", "es"), ("pt-BR", "pt-br"), ("en", "en")])
def test_html_lang_follows_the_active_language(client, db, accept, lang):
    html = text(client.get("/cooperatives/", HTTP_ACCEPT_LANGUAGE=accept))
    assert f'<html lang="{lang}">' in html
