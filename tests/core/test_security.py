"""What a browser enforces for us: the Content Security Policy on every page (and pages that
satisfy it), the security headers and cookie flags, and CSRF on every session-authenticated write."""

import re
from collections.abc import Iterator

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from cooperatives.models import Invitation, Role
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory
from tests.frontend.helpers import elements

pytestmark = pytest.mark.django_db


def routes() -> Iterator[tuple[str, URLPattern]]:
    """Every route of the URLconf as `/path/` with its Django pattern syntax, and its pattern."""

    def walk(patterns: list, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield "/" + prefix + str(pattern.pattern), pattern

    yield from walk(get_resolver().url_patterns, "")


def plain_routes(prefix: str = "/") -> list[str]:
    """Routes that need no argument (no converter, no regex group), outside the API."""
    found = []
    for route, _ in routes():
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        if re.search(r"[<(\[*+?\\]", route) or route.startswith("/api/"):
            continue
        if route.startswith(prefix):
            found.append(route)
    return sorted(set(found))


def assert_satisfies_the_csp(url: str, response) -> None:  # type: ignore[no-untyped-def]
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, f"{url}: no CSP header"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    found = elements(response.content.decode())
    assert not found.script_bodies, f"{url} has an inline script"
    for tag, attrs in found.tags:
        assert tag != "style", f"{url} has a <style> element"
        assert "style" not in attrs, f"{url}: <{tag} style=...>"
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{url}: <{tag} {handlers}>"
        for name in ("href", "src", "action", "formaction"):
            assert not attrs.get(name, "").lower().startswith("javascript:"), f"{url}: {attrs}"
        if tag == "script":  # a file of our own origin
            src = attrs.get("src", "")
            assert src.startswith("/") and not src.startswith("//"), f"{url}: {attrs}"


@pytest.fixture
def everyone_at_once(db):  # type: ignore[no-untyped-def]
    """A superuser who is also an owner of a cooperative: sees every page and admin screen."""
    user = UserFactory(is_staff=True, is_superuser=True)
    cooperative = CooperativeFactory()
    MembershipFactory(user=user, cooperative=cooperative, role=Role.OWNER)
    return user, cooperative


def test_the_walk_finds_the_main_pages():
    """Guards the walk itself: if it found nothing, the tests below would pass vacuously."""
    found = plain_routes()
    for page in ("/", "/catalogue/", "/signin/", "/cooperatives/", "/my/cooperatives/", "/admin/"):
        assert page in found


def test_every_page_without_arguments_satisfies_the_csp(client, everyone_at_once):
    user, _ = everyone_at_once
    signed_in = Client()
    signed_in.force_login(user)
    for url in plain_routes():
        for browser in (client, signed_in):
            response = browser.get(url)
            assert response.status_code < 500, url
            assert_satisfies_the_csp(url, response)


def test_pages_about_one_object_satisfy_the_csp(client, everyone_at_once):
    user, cooperative = everyone_at_once
    invitation = Invitation.objects.create(cooperative=cooperative, email="new@example.coop")
    owner = Client()
    owner.force_login(user)
    slug = cooperative.slug
    for url in (
        f"/cooperatives/{slug}/",
        f"/invitations/{invitation.token}/",
        f"/my/cooperatives/{slug}/",
        f"/my/cooperatives/{slug}/edit/",
        f"/my/cooperatives/{slug}/verification/",
        f"/admin/accounts/user/{user.pk}/change/",
        f"/admin/cooperatives/cooperative/{cooperative.pk}/change/",
        "/no-such-page/",
    ):
        response = owner.get(url)
        assert response.status_code in (200, 404), url
        assert_satisfies_the_csp(url, response)
    assert_satisfies_the_csp("a missing page", client.get("/no-such-page/"))


def test_the_api_docs_work_under_the_csp_with_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_satisfies_the_csp("/api/docs/", response)
    found = elements(response.content.decode())
    assets = [attrs.get("src") or attrs.get("href") for tag, attrs in found.tags]
    local = [url for url in assets if url and url.startswith("/static/")]
    assert any(url.endswith("swagger-ui-bundle.js") for url in local)
    for url in local:  # each one is really there to be served
        assert finders.find(url.removeprefix("/static/")), url
    scripts = [attrs["src"] for tag, attrs in found.tags if tag == "script"]
    start = [src for src in scripts if src.startswith("/static/")]
    assert len(start) == 2
    # The start-up script is a file of our own origin, not an inline block.
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content
    assert b"/api/schema/" in script.content


def test_stripe_is_the_only_other_origin_and_follows_the_setting():
    from django.conf import settings

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'", "https://js.stripe.com"]
    assert "https://js.stripe.com" in directives["frame-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_headers_on_every_answer(client):
    for url in ("/", "/api/v1/categories/", "/healthz", "/no-such-page/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_session_and_csrf_cookies_are_http_only_and_same_site(client):
    user = UserFactory()
    user.set_password("a long passphrase 42")
    user.save()
    page = client.get("/signin/")
    csrf = page.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    client.post("/signin/", {"username": user.email, "password": "a long passphrase 42"})
    session = client.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


# CSRF -----------------------------------------------------------------------------------------


def api_write_routes() -> list[tuple[str, type[APIView]]]:
    """Every DRF view under /api/ that session authentication can reach, with its arguments
    filled with values that match their converters."""
    filled = []
    for route, pattern in routes():
        view_class = getattr(pattern.callback, "cls", None)
        if not route.startswith("/api/") or view_class is None:
            continue
        if not issubclass(view_class, APIView):
            continue
        classes = getattr(view_class, "authentication_classes", [])
        if not any(issubclass(cls, SessionAuthentication) for cls in classes):
            continue  # e.g. a webhook: signed by its sender, no session, no cookie
        url = re.sub(r"<int:\w+>", "999999", route)
        url = re.sub(r"<(?:slug|str):\w+>", "nothing-here", url)
        filled.append((url, view_class))
    return filled


def test_the_csrf_walk_finds_the_api():
    urls = [url for url, _ in api_write_routes()]
    assert "/api/v1/me/" in urls
    assert "/api/v1/checkout/" in urls
    assert len(urls) > 20


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_api_write_with_a_session_and_no_csrf_token_is_refused(method, everyone_at_once):
    user, _ = everyone_at_once
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    for url, _ in api_write_routes():
        response = getattr(browser, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 403, f"{method.upper()} {url}: {response.status_code}"
        if response["Content-Type"].startswith("application/json"):
            assert "CSRF" in response.json()["detail"], url


def test_a_session_write_with_the_token_goes_through(everyone_at_once):
    user, _ = everyone_at_once
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/")  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    refused = browser.patch("/api/v1/me/", {"name": "Nuevo"}, content_type="application/json")
    assert refused.status_code == 403
    user.refresh_from_db()
    assert user.name != "Nuevo"
    accepted = browser.patch(
        "/api/v1/me/", {"name": "Nuevo"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200
    user.refresh_from_db()
    assert user.name == "Nuevo"


def test_a_token_authenticated_program_needs_no_csrf_token(everyone_at_once):
    """CSRF is a browser's problem: a request with `Authorization: Token` carries no cookie."""
    user, _ = everyone_at_once
    from accounts.services import user_token

    program = Client(enforce_csrf_checks=True)
    response = program.patch(
        "/api/v1/me/",
        {"name": "Programa"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {user_token(user=user)}",
    )
    assert response.status_code == 200


def test_a_page_form_without_the_token_is_refused(everyone_at_once):
    user, cooperative = everyone_at_once
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(f"/my/cooperatives/{cooperative.slug}/edit/", {"name": "Hijacked"})
    assert response.status_code == 403
    cooperative.refresh_from_db()
    assert cooperative.name != "Hijacked"
