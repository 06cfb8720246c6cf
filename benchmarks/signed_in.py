"""A signed-in reader for benchmarks/run.py (issue #20, item 3): a person who belongs to one of
the seeded cooperatives, as the buyers who browse the catalogue do, with an API token and a
session opened through the server's own sign-in page (the server's SECRET_KEY is its own, so a
session cannot be forged here).

`built_paths` makes every request miss the response cache: each path carries a parameter the
catalogue ignores with a value never asked before (`fresh=<run>-<n>`), so the server builds
every answer, as for a first reader or a long-tail search. The cost of storing each copy in the
cache is included, as it is for a real first reader.
"""

import re
import secrets
import urllib.error
import urllib.request
from http.client import HTTPResponse
from typing import Any
from urllib.parse import urlencode

EMAIL = "bench-reader@example.org"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _cookies(response: HTTPResponse | urllib.error.HTTPError) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def reader(password: str) -> Any:
    """The bench reader (created once), a member of a seeded cooperative in good standing."""
    from accounts.models import User
    from cooperatives.models import Cooperative, Membership

    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=EMAIL, password=password, name="Bench reader")
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user).exists():
        cooperative = (
            Cooperative.objects.filter(slug__startswith="bulk-")
            .exclude(verification_status="suspended")
            .order_by("pk")
            .first()
        )
        if cooperative is not None:
            Membership.objects.create(user=user, cooperative=cooperative, role="member")
    return user


def credentials(base_url: str) -> tuple[str, str]:
    """(the Authorization header's value, the Cookie header's value) of the bench reader."""
    from django.conf import settings

    from accounts.services import user_token

    password = secrets.token_urlsafe(16)
    user = reader(password)
    token = f"Token {user_token(user=user)}"
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(base_url + "/signin/", timeout=30) as page:  # nosec B310
        cookies = _cookies(page)
        html = page.read().decode()
    csrf_cookie = cookies.get(settings.CSRF_COOKIE_NAME, "")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    form = urlencode(
        {
            "username": EMAIL,
            "password": password,
            "csrfmiddlewaretoken": match.group(1) if match else "",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        base_url + "/signin/",
        data=form,
        headers={
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}",
            "Referer": base_url + "/signin/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        response = opener.open(request, timeout=30)  # nosec B310
    except urllib.error.HTTPError as redirect:  # the 302 after signing in
        response = redirect
    session = _cookies(response).get(settings.SESSION_COOKIE_NAME)
    if not session:
        raise RuntimeError(f"the bench reader could not sign in (HTTP {response.status})")
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}"
    return token, cookie


def built_paths(path: str, count: int = 20_000) -> list[str]:
    """`count` variants of `path` that no cache holds (a fresh nonce per run)."""
    run = secrets.token_hex(4)
    separator = "&" if "?" in path else "?"
    return [f"{path}{separator}fresh={run}-{number}" for number in range(count)]
